/* The command line's virtio part, QEMU's spelling: -drive, -blockdev, -netdev, -nic,
 * -chardev, -device virtio-*-device and virtconsole, -global
 * virtio-mmio.force-legacy=. */
#ifndef RIVET_VIRTIO_CONFIG_H
#define RIVET_VIRTIO_CONFIG_H

#include <stdbool.h>
#include <stdint.h>

#define MAX_DRIVES 8
#define MAX_NETDEVS 4
#define MAX_VIRTIO_DEVICES 8      /* one per virtio-mmio slot */
#define MAX_HOSTFWD 8
#define MAX_CHARDEVS 4

struct drive_opt {
    const char *id, *file, *format;  /* -blockdev: node-name, filename, driver */
    bool readonly, snapshot;
    const char *opt, *arg;        /* "drive" or "blockdev", and the whole option, for messages */
    char *storage;
};

struct netdev_opt {
    const char *type;             /* "user" (libslirp) or "tap" */
    const char *id;
    const char *ifname;           /* tap */
    const char *net;              /* net=10.0.2.0/24 */
    bool restrict_;
    const char *hostfwd[MAX_HOSTFWD];
    unsigned nhostfwd;
    const char *arg;
    char *storage;
};

/* -chardev socket|file|pty|stdio|null,id=ID[,path=P][,host=H,port=N][,server=on][,wait=off] */
struct chardev_opt {
    const char *backend, *id, *path, *host;
    int port;
    bool server;
    const char *arg;
    char *storage;
};

enum virtio_kind { VDEV_BLK, VDEV_NET, VDEV_RNG, VDEV_SERIAL };

struct vdev_opt {
    enum virtio_kind kind;
    const char *backend;          /* drive=, netdev=, or a virtconsole's chardev= */
    const char *mac, *serial;
    int slot;                     /* bus=virtio-mmio-bus.N, or -1 */
    const char *arg;
    char *storage;
};

struct virtio_config {
    bool modern;                  /* -global virtio-mmio.force-legacy=false */
    struct drive_opt drive[MAX_DRIVES];
    unsigned ndrives;
    struct netdev_opt netdev[MAX_NETDEVS];
    unsigned nnetdevs;
    struct chardev_opt chardev[MAX_CHARDEVS];
    unsigned nchardevs;
    struct vdev_opt dev[MAX_VIRTIO_DEVICES];
    unsigned ndevs;
    char *vcon_storage[MAX_VIRTIO_DEVICES];  /* virtconsole options' copies */
    unsigned nvcon;
};

/* Options this part takes, and their parser (false: not ours). The
 * virtio -device drivers come through virtio_parse_device. */
extern const char *const virtio_options[];
bool virtio_parse_option(struct virtio_config *c, const char *opt, const char *arg);
bool virtio_parse_device(struct virtio_config *c, const char *arg);
/* After the whole command line: every drive=/netdev= names one that exists. */
void virtio_config_check(struct virtio_config *c);
void virtio_config_free(struct virtio_config *c);

#endif
