/* rivet-hv: zones (static partitions) — their configuration as C data and
 * their state while they run. */
#ifndef HYP_ZONE_H
#define HYP_ZONE_H
#include "lib.h"

#define MAX_HARTS   8     /* physical harts the hypervisor serves */
#define MAX_ZONES   4
#define MAX_VHARTS  8     /* per zone */
#define MAX_RAM     4     /* RAM regions per zone */
#define MAX_DEVICES 8     /* passed-through MMIO regions per zone */
#define PLIC_SOURCES 1024 /* interrupt sources the virtual PLIC can model */

/* A configuration value the hypervisor takes from the host device tree it
 * is handed (RAM size from /memory, initrd and bootargs from /chosen). */
#define FROM_HOST (~0ull)
#define ALL_HARTS (~0ull)       /* harts: every hart in the host device tree */

enum image_format { IMAGE_AUTO, IMAGE_LINUX, IMAGE_ELF };
enum device_kind { DEV_RAW, DEV_NS16550A };

struct ram_region {
    uint64_t gpa, hpa;
    uint64_t size;          /* FROM_HOST: up to the end of host RAM (below the host DTB) */
};

struct device {             /* passed through: mapped in the G-stage, its IRQ routed to the zone */
    const char *name;
    enum device_kind kind;  /* what node the guest device tree gets */
    uint64_t gpa, hpa, size;
    uint32_t irq;           /* PLIC source, 0 = none */
    uint32_t clock;         /* UART input clock, Hz */
};

struct zone_config {
    const char *name;
    uint64_t harts;                     /* physical hart ids, as a bit mask; the first is vhart 0 */
    struct ram_region ram[MAX_RAM];
    int nr_ram;
    struct device dev[MAX_DEVICES];
    int nr_dev;
    struct {
        uint64_t hpa;                   /* where the loader put the file (QEMU -device loader) */
        enum image_format format;
        uint64_t gpa;                   /* where it runs: an Image is placed here, an ELF's lowest segment */
    } kernel;
    struct {
        uint64_t hpa, size;             /* FROM_HOST: /chosen linux,initrd-start/end */
        uint64_t gpa;                   /* FROM_HOST: below the guest DTB, at the top of RAM */
    } initrd;
    const char *bootargs;               /* NULL: the host's /chosen bootargs */
    uint64_t dtb_gpa;                   /* FROM_HOST: 2 MiB below the end of the zone's RAM */
    uint64_t plic_gpa;                  /* where the zone sees its virtual PLIC */
    bool no_sstc;                       /* time the guest with the host timer even if Sstc exists */
    uint64_t scratch_gpa;               /* tests: an emulated 4 KiB page of registers, 0 = none */
    struct { uint64_t hpa, size; } stash;  /* host RAM for pristine copies of the images, so that
                                            * the zone can reboot alone; size 0 = no zone reboot */
};

extern const struct zone_config zone_configs[];
extern const int nr_zone_configs;

/* One virtual hart: the guest's registers while the hypervisor runs.
 * start.S knows the layout of the first fields. */
struct vcpu {
    unsigned long hyp_sp;       /* slot of x0: the hypervisor's stack for this hart */
    unsigned long x[31];        /* x1..x31, x[i-1] holds xi */
    unsigned long sepc, sstatus, hstatus;
    /* --- not touched by start.S --- */
    struct zone *zone;
    int id;                     /* virtual hart id inside the zone */
    int phart;                  /* physical hart it runs on */
    volatile int hsm_state;     /* SBI_HSM_STARTED, _STOPPED, _START_PENDING */
    uint64_t start_addr, start_arg;
    volatile uint32_t req;      /* REQ_* asked of this vhart by another hart */
    bool vseip;                 /* VSEIP as last asked of this vhart by the vPLIC */
    uint64_t next_timer;        /* without Sstc: the guest's timer deadline */
};
/* Requests from one hart to another vhart's hart (then a host IPI). */
#define REQ_VSSIP   (1u << 0)   /* raise the guest's software interrupt */
#define REQ_VSEIP   (1u << 1)   /* re-evaluate the virtual PLIC for it */
#define REQ_FENCE_I (1u << 2)
#define REQ_VVMA    (1u << 3)   /* hfence.vvma: the guest's sfence.vma */
#define REQ_STOP    (1u << 4)   /* the zone stopped */
#define REQ_START   (1u << 5)   /* SBI HSM hart_start */
#define REG(v, n) ((v)->x[(n) - 1])

struct vplic {
    uint64_t base, size;
    uint32_t ndev;
    uint32_t nctx;                              /* 2 per vhart: M (ignored) and S */
    uint8_t prio[PLIC_SOURCES];
    uint32_t pending[PLIC_SOURCES / 32];
    uint32_t claimed[PLIC_SOURCES / 32];        /* claimed by the guest, not yet completed */
    uint32_t owned[PLIC_SOURCES / 32];          /* physical sources routed to this zone */
    uint32_t enable[2 * MAX_VHARTS][PLIC_SOURCES / 32];
    uint32_t threshold[2 * MAX_VHARTS];
    int route_ctx;                              /* physical S context the zone's sources go to */
    volatile int lock;
};

enum zone_state { ZONE_READY, ZONE_RUNNING, ZONE_STOPPED, ZONE_REBOOTING };

struct zone {
    const struct zone_config *cfg;
    int id;
    volatile enum zone_state state;
    struct ram_region ram[MAX_RAM];     /* resolved */
    uint64_t harts;                     /* resolved */
    int nr_vharts;
    struct vcpu vcpu[MAX_VHARTS];
    uint64_t entry, dtb_gpa, dtb_size, initrd_gpa, initrd_size;
    uint64_t kernel_gpa, kernel_size, kernel_file_len;
    uint64_t kernel_src, initrd_src;    /* where zone_load copies them from */
    bool loaded_once;
    const char *format_name;
    uint32_t sym_first, sym_count;      /* its kernel's function symbols (symbols.c) */
    uint64_t *g_root;                   /* G-stage root table */
    uint64_t hgatp;
    struct vplic vplic;
    uint8_t scratch[4096];              /* the emulated test page's contents */
    struct {                            /* what the zone cost, told when it stops */
        uint64_t sbi, mmio_htinst, mmio_hlvx, irqs;
    } stats;
};

extern struct zone zones[MAX_ZONES];
extern int nr_zones;

/* What the host device tree says (read once at boot). */
struct host {
    uint64_t ram_base, ram_size;
    uint64_t dtb, dtb_size;
    uint64_t initrd_start, initrd_end;
    char bootargs[1024];
    uint32_t timebase;
    char isa[256], mmu[32];
    uint64_t harts;                     /* mask of hart ids present */
    uint64_t plic_base, plic_size;
    uint32_t plic_ndev;
    int plic_sctx[MAX_HARTS];           /* PLIC context of each hart's S-mode, -1 none */
    uint64_t resv_base[8], resv_size[8];/* /reserved-memory (OpenSBI's) */
    int nr_resv;
    /* probed */
    uint64_t hgatp_mode;
    int g_levels;
    uint32_t vmid_bits;
    bool sstc;
    int boot_hart;
};
extern struct host host;

/* per physical hart */
extern struct vcpu *hart_vcpu[MAX_HARTS];

/* zone.c */
int zone_setup(struct zone *z, const struct zone_config *cfg, int id);
void zone_start(struct zone *z, int self_phart);
__attribute__((noreturn)) void hart_wait(struct vcpu *v);
void vcpu_request(struct vcpu *self, struct vcpu *target, uint32_t req, bool wait);
void vcpu_handle_requests(struct vcpu *v);
void zone_stop(struct zone *z, struct vcpu *self, const char *why);
bool zone_reboot(struct zone *z, struct vcpu *self);
__attribute__((noreturn)) void vcpu_run(struct vcpu *v);
bool gpa_to_hpa(const struct zone *z, uint64_t gpa, uint64_t len, uint64_t *hpa);

/* symbols.c */
void symbols_keep(struct zone *z, const uint8_t *elf, uint64_t file_len);
const char *symbol_of(const struct zone *z, uint64_t addr, uint64_t *off);

/* stage2.c */
void stage2_probe(void);
int stage2_build(struct zone *z);

/* guestdt.c */
int guest_dt_build(struct zone *z, void *buf, uint32_t cap);

/* vplic.c */
void vplic_init(struct zone *z);
void vplic_release(struct zone *z);
void plic_route(struct zone *z, int phart);
void plic_handle_host_irq(int phart);
bool vplic_access(struct vcpu *v, uint64_t off, int width, bool write, uint64_t *val);
void vplic_update(struct zone *z, int self_phart);
void vplic_update_vcpu(struct vcpu *v);

/* vsbi.c */
void vsbi_handle(struct vcpu *v);
void vtimer_host_irq(struct vcpu *v);

/* trap.c */
struct vcpu *vcpu_trap(struct vcpu *v);
void guest_fault(struct vcpu *v, const char *what);
bool read_guest_insn(unsigned long pc, uint32_t *insn, int *len);

/* start.S */
__attribute__((noreturn)) void vcpu_enter(struct vcpu *v);
extern char _hyp_start[], _hyp_end[];
void hfence_gvma_all(void);
void hfence_vvma_all(void);

#endif
