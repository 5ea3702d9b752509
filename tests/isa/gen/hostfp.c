/* Host reference for crosscheck.py: reads "op is_double rm a b c" lines (hex bit
 * patterns), prints "result flags" computed by the host FPU under fesetround. */
#include <fenv.h>
#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include <math.h>
#pragma STDC FENV_ACCESS ON
static int modes[] = {FE_TONEAREST, FE_TOWARDZERO, FE_DOWNWARD, FE_UPWARD};
static int flags(void) {
    int f = 0, e = fetestexcept(FE_ALL_EXCEPT);
    if (e & FE_INEXACT) f |= 1; if (e & FE_UNDERFLOW) f |= 2; if (e & FE_OVERFLOW) f |= 4;
    if (e & FE_DIVBYZERO) f |= 8; if (e & FE_INVALID) f |= 16; return f;
}
int main(void) {
    char op[16]; int d, m; unsigned long long a, b, c;
    while (scanf("%15s %d %d %llx %llx %llx", op, &d, &m, &a, &b, &c) == 6) {
        fesetround(modes[m]); feclearexcept(FE_ALL_EXCEPT);
        unsigned long long r = 0;
        if (d) { double x, y, z, o; memcpy(&x,&a,8); memcpy(&y,&b,8); memcpy(&z,&c,8);
            volatile double vx=x, vy=y, vz=z;
            if (!strcmp(op,"add")) o = vx+vy; else if (!strcmp(op,"mul")) o = vx*vy;
            else if (!strcmp(op,"div")) o = vx/vy; else if (!strcmp(op,"sqrt")) o = sqrt(vx);
            else o = fma(vx,vy,vz);
            volatile double vo = o; memcpy(&r,(void*)&vo,8);
        } else { float x, y, z, o; uint32_t a32=a,b32=b,c32=c; memcpy(&x,&a32,4); memcpy(&y,&b32,4); memcpy(&z,&c32,4);
            volatile float vx=x, vy=y, vz=z;
            if (!strcmp(op,"add")) o = vx+vy; else if (!strcmp(op,"mul")) o = vx*vy;
            else if (!strcmp(op,"div")) o = vx/vy; else if (!strcmp(op,"sqrt")) o = sqrtf(vx);
            else o = fmaf(vx,vy,vz);
            volatile float vo=o; uint32_t r32; memcpy(&r32,(void*)&vo,4); r=r32; }
        printf("%llx %d\n", r, flags());
    }
}
