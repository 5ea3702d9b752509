/* Floating-point guest benchmark: an in-place radix-2 complex FFT and its
 * inverse in double precision, repeated; prints a checksum so that a wrong
 * result is visible. Built static with the cross compiler by guest/build.sh. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#define N 4096

static double re[N], im[N];

static void fft(double *xr, double *xi, int n, int inverse)
{
    for (int i = 1, j = 0; i < n; i++) {
        int bit = n >> 1;
        for (; j & bit; bit >>= 1)
            j ^= bit;
        j ^= bit;
        if (i < j) {
            double t = xr[i]; xr[i] = xr[j]; xr[j] = t;
            t = xi[i]; xi[i] = xi[j]; xi[j] = t;
        }
    }
    for (int len = 2; len <= n; len <<= 1) {
        double ang = 2 * M_PI / len * (inverse ? 1 : -1);
        double wr = cos(ang), wi = sin(ang);
        for (int i = 0; i < n; i += len) {
            double cr = 1, ci = 0;
            for (int k = 0; k < len / 2; k++) {
                int a = i + k, b = i + k + len / 2;
                double tr = xr[b] * cr - xi[b] * ci, ti = xr[b] * ci + xi[b] * cr;
                xr[b] = xr[a] - tr; xi[b] = xi[a] - ti;
                xr[a] += tr; xi[a] += ti;
                double ncr = cr * wr - ci * wi;
                ci = cr * wi + ci * wr;
                cr = ncr;
            }
        }
    }
    if (inverse)
        for (int i = 0; i < n; i++) {
            xr[i] /= n;
            xi[i] /= n;
        }
}

int main(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi(argv[1]) : 200;
    for (int i = 0; i < N; i++) {
        re[i] = sin(i * 0.01) + 0.5 * cos(i * 0.37);
        im[i] = 0;
    }
    double sum = 0;
    for (int r = 0; r < rounds; r++) {
        fft(re, im, N, 0);
        sum += sqrt(re[r % N] * re[r % N] + im[r % N] * im[r % N]);
        fft(re, im, N, 1);
    }
    printf("fft: %d rounds of %d points, checksum %.6f\n", rounds, N, sum);
    return 0;
}
