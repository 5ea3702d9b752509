/* rivet-hv: its own console, through the host SBI: the debug console
 * extension (DBCN) when the firmware has it, else the legacy putchar. */
#include "lib.h"
#include "sbi.h"

static bool have_dbcn;
static volatile int console_lock;

/* One hart's output at a time (a line is not broken by another hart's). */
static void lock(void)
{
    while (__atomic_exchange_n(&console_lock, 1, __ATOMIC_ACQUIRE))
        ;
}
static void unlock(void) { __atomic_store_n(&console_lock, 0, __ATOMIC_RELEASE); }

void console_init(void)
{
    have_dbcn = sbi_probe(SBI_EXT_DBCN) > 0;
}

void putch(char c)
{
    if (have_dbcn)
        sbi_call(SBI_EXT_DBCN, 2, (uint8_t)c, 0, 0);
    else
        sbi_call(SBI_EXT_LEGACY_PUTCHAR, 0, (uint8_t)c, 0, 0);
}

struct out { char *buf; size_t n, len; };

static void emit(struct out *o, char c)
{
    if (o->buf) {
        if (o->len + 1 < o->n)
            o->buf[o->len] = c;
    } else {
        if (c == '\n')
            putch('\r');
        putch(c);
    }
    o->len++;
}

static void format(struct out *o, const char *fmt, va_list ap)
{
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            emit(o, *fmt);
            continue;
        }
        fmt++;
        bool zero = false, left = false;
        int width = 0, lng = 0;
        if (*fmt == '-') { left = true; fmt++; }
        if (*fmt == '0') { zero = true; fmt++; }
        if (*fmt == '*') { width = va_arg(ap, int); fmt++; }
        while (*fmt >= '0' && *fmt <= '9')
            width = width * 10 + (*fmt++ - '0');
        while (*fmt == 'l' || *fmt == 'z') { lng++; fmt++; }
        char tmp[24];
        const char *s = tmp;
        int len = 0;
        unsigned long long v;
        bool neg = false;
        switch (*fmt) {
        case 's':
            s = va_arg(ap, const char *);
            if (!s) s = "(null)";
            len = (int)strlen(s);
            break;
        case 'c':
            tmp[0] = (char)va_arg(ap, int);
            len = 1;
            break;
        case 'd': case 'u': case 'x': case 'p': {
            unsigned base = *fmt == 'x' || *fmt == 'p' ? 16 : 10;
            if (*fmt == 'p') { v = (uintptr_t)va_arg(ap, void *); }
            else if (*fmt == 'd') {
                long long sv = lng ? va_arg(ap, long long) : va_arg(ap, int);
                neg = sv < 0;
                v = neg ? -(unsigned long long)sv : (unsigned long long)sv;
            } else
                v = lng ? va_arg(ap, unsigned long long) : va_arg(ap, unsigned);
            int i = sizeof tmp;
            do {
                tmp[--i] = "0123456789abcdef"[v % base];
                v /= base;
            } while (v);
            if (*fmt == 'p') { tmp[--i] = 'x'; tmp[--i] = '0'; }
            s = tmp + i;
            len = (int)sizeof tmp - i;
            break;
        }
        case '%':
            tmp[0] = '%';
            len = 1;
            break;
        default:
            tmp[0] = '?';
            len = 1;
        }
        int pad = width - len - neg;
        if (neg && zero) emit(o, '-');
        if (!left)
            for (; pad > 0; pad--) emit(o, zero ? '0' : ' ');
        if (neg && !zero) emit(o, '-');
        for (int i = 0; i < len; i++) emit(o, s[i]);
        for (; pad > 0; pad--) emit(o, ' ');
    }
}

int printf(const char *fmt, ...)
{
    struct out o = { 0 };
    va_list ap;
    va_start(ap, fmt);
    lock();
    format(&o, fmt, ap);
    unlock();
    va_end(ap);
    return (int)o.len;
}

void console_write(const char *s, size_t n)
{
    lock();
    for (size_t i = 0; i < n; i++)
        putch(s[i]);
    unlock();
}

int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
    struct out o = { buf, n, 0 };
    format(&o, fmt, ap);
    if (n)
        buf[o.len < n ? o.len : n - 1] = 0;
    return (int)o.len;
}

int snprintf(char *buf, size_t n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int r = vsnprintf(buf, n, fmt, ap);
    va_end(ap);
    return r;
}

void panic(const char *fmt, ...)
{
    struct out o = { 0 };
    va_list ap;
    printf("rivet-hv: PANIC: ");
    va_start(ap, fmt);
    format(&o, fmt, ap);
    va_end(ap);
    printf("\nrivet-hv: powering off (system failure)\n");
    sbi_call(SBI_EXT_SRST, 0, SBI_SRST_SHUTDOWN, SBI_SRST_REASON_FAILURE, 0);
    for (;;)
        __asm__ volatile("wfi");
}
