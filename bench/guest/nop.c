/* The smallest static program: what a fork+exec loop execs. */
int main(void)
{
    return 0;
}
