#define _GNU_SOURCE
/* Parsing the virtio options: comma-separated key=value lists, as QEMU's
 * (no ",," escapes). Every mistake is one line and exit 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "machine/virtio_config.h"
#include "util/common.h"
#include "util/error.h"

const char *const virtio_options[] = { "drive", "blockdev", "netdev", "nic", "global", "chardev", NULL };

static bool on_off(const char *opt, const char *arg, const char *key, const char *v)
{
    if (!strcmp(v, "on") || !strcmp(v, "true") || !strcmp(v, "yes"))
        return true;
    if (!strcmp(v, "off") || !strcmp(v, "false") || !strcmp(v, "no"))
        return false;
    fatal("-%s %s: %s must be on or off", opt, arg, key);
}

/* Split "first,k=v,..." in place: returns the first item; the pairs are
 * taken with next_pair. */
static char *first_item(char *copy, char **save)
{
    return strtok_r(copy, ",", save);
}

static bool next_pair(const char *opt, const char *arg, char **save, char **key, char **val)
{
    char *p = strtok_r(NULL, ",", save);
    if (!p)
        return false;
    char *eq = strchr(p, '=');
    if (!eq)
        fatal("-%s %s: '%s' needs a value (name=value)", opt, arg, p);
    *eq = 0;
    *key = p;
    *val = eq + 1;
    return true;
}

static void parse_drive(struct virtio_config *c, const char *arg)
{
    if (c->ndrives == MAX_DRIVES)
        fatal("-drive %s: more than %d drives", arg, MAX_DRIVES);
    char *copy = strdup(arg), *save = NULL, *k, *v;
    struct drive_opt *d = &c->drive[c->ndrives++];
    *d = (struct drive_opt){ .opt = "drive", .arg = arg, .storage = copy };
    const char *iface = NULL;
    char *first = strtok_r(copy, ",", &save);
    for (char *p = first; p; p = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(p, '=');
        if (!eq)
            fatal("-drive %s: '%s' needs a value (name=value)", arg, p);
        *eq = 0;
        k = p, v = eq + 1;
        if (!strcmp(k, "file")) d->file = v;
        else if (!strcmp(k, "id")) d->id = v;
        else if (!strcmp(k, "format")) d->format = v;
        else if (!strcmp(k, "if")) iface = v;
        else if (!strcmp(k, "readonly")) d->readonly = on_off("drive", arg, k, v);
        else if (!strcmp(k, "snapshot")) d->snapshot = on_off("drive", arg, k, v);
        else if (!strcmp(k, "cache") || !strcmp(k, "aio") || !strcmp(k, "discard")) { /* host policy: accepted */ }
        else fatal("-drive %s: invalid parameter '%s' (rivet knows file, id, if, format, readonly, "
                   "snapshot, cache)", arg, k);
    }
    if (!d->file)
        fatal("-drive %s: file= is required", arg);
    if (!iface || strcmp(iface, "none"))
        fatal("-drive %s: rivet's virt board has no %s interface; use if=none,id=ID with "
              "-device virtio-blk-device,drive=ID", arg, iface ? iface : "default (if=virtio: PCI)");
    if (!d->id)
        fatal("-drive %s: if=none needs id=", arg);
}

/* -blockdev driver=file|raw,node-name=N,filename=F or
 * driver=raw,node-name=N,file.driver=file,file.filename=F [,read-only=on]:
 * a drive by another name (keyed syntax only). */
static void blockdev_property(struct drive_opt *d, const char *k, const char *v)
{
    if (!strcmp(k, "driver")) d->format = !strcmp(v, "file") ? "raw" : v;
    else if (!strcmp(k, "node-name")) d->id = v;
    else if (!strcmp(k, "filename") || !strcmp(k, "file.filename")) d->file = v;
    else if (!strcmp(k, "read-only")) d->readonly = on_off("blockdev", d->arg, k, v);
    else if (!strcmp(k, "file.driver")) {
        if (strcmp(v, "file"))
            fatal("-blockdev %s: file.driver=%s is not supported (rivet has file)", d->arg, v);
    } else if (strncmp(k, "cache.", 6) && strcmp(k, "discard") && strcmp(k, "auto-read-only") &&
               strcmp(k, "file.aio") && strcmp(k, "aio") && strcmp(k, "file.locking") && strcmp(k, "locking"))
        fatal("-blockdev %s: invalid parameter '%s' (rivet knows driver, node-name, filename, "
              "file.driver, file.filename, read-only)", d->arg, k);
}

static void parse_blockdev(struct virtio_config *c, const char *arg)
{
    if (arg[0] == '{')
        fatal("-blockdev %s: the JSON form is not supported; use driver=raw,node-name=N,"
              "file.driver=file,file.filename=F", arg);
    if (c->ndrives == MAX_DRIVES)
        fatal("-blockdev %s: more than %d drives", arg, MAX_DRIVES);
    char *copy = strdup(arg), *save = NULL;
    struct drive_opt *d = &c->drive[c->ndrives++];
    *d = (struct drive_opt){ .opt = "blockdev", .arg = arg, .storage = copy };
    for (char *p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(p, '=');
        if (!eq)
            fatal("-blockdev %s: '%s' needs a value (name=value)", arg, p);
        *eq = 0;
        blockdev_property(d, p, eq + 1);
    }
    if (!d->format)
        fatal("-blockdev %s: driver= is required", arg);
    if (!d->id)
        fatal("-blockdev %s: node-name= is required", arg);
    if (!d->file)
        fatal("-blockdev %s: filename= (or file.filename=) is required", arg);
}

static void add_hostfwd(struct netdev_opt *n, const char *opt, const char *arg, const char *v)
{
    if (n->nhostfwd == MAX_HOSTFWD)
        fatal("-%s %s: more than %d hostfwd rules", opt, arg, MAX_HOSTFWD);
    n->hostfwd[n->nhostfwd++] = v;
}

/* One user-networking property; false if `k` is not one. */
/* tap: rivet runs no scripts, so QEMU's default ones must be turned off. */
static bool tap_property(struct netdev_opt *n, const char *opt, const char *arg, const char *k, const char *v)
{
    if (!strcmp(k, "ifname"))
        n->ifname = v;
    else if (!strcmp(k, "script") || !strcmp(k, "downscript")) {
        if (strcmp(v, "no"))
            fatal("-%s %s: %s=%s: rivet runs no scripts; set the interface up beforehand and "
                  "give %s=no", opt, arg, k, v, k);
    } else
        return false;
    return true;
}

static bool netdev_property(struct netdev_opt *n, const char *opt, const char *arg, const char *k, const char *v)
{
    if (!strcmp(n->type, "tap") && strcmp(k, "id"))
        return tap_property(n, opt, arg, k, v);
    if (!strcmp(k, "id")) n->id = v;
    else if (!strcmp(k, "hostfwd")) add_hostfwd(n, opt, arg, v);
    else if (!strcmp(k, "net")) n->net = v;
    else if (!strcmp(k, "restrict")) n->restrict_ = on_off(opt, arg, k, v);
    else return false;
    return true;
}

static struct netdev_opt *new_netdev(struct virtio_config *c, const char *opt, const char *arg,
                                     const char *type, char *copy)
{
    if (strcmp(type, "user") && strcmp(type, "tap"))
        fatal("-%s %s: network backend '%s' is not supported (rivet has 'user' and 'tap')",
              opt, arg, type);
    if (c->nnetdevs == MAX_NETDEVS)
        fatal("-%s %s: more than %d network backends", opt, arg, MAX_NETDEVS);
    struct netdev_opt *n = &c->netdev[c->nnetdevs++];
    *n = (struct netdev_opt){ .type = type, .arg = arg, .storage = copy };
    return n;
}

static void parse_netdev(struct virtio_config *c, const char *arg)
{
    char *copy = strdup(arg), *save = NULL, *k, *v;
    char *type = first_item(copy, &save);
    struct netdev_opt *n = new_netdev(c, "netdev", arg, type ? type : "", copy);
    while (next_pair("netdev", arg, &save, &k, &v))
        if (!netdev_property(n, "netdev", arg, k, v))
            fatal("-netdev %s: invalid parameter '%s' (rivet knows id, hostfwd, net, restrict for user; "
                  "ifname, script=no, downscript=no for tap)", arg, k);
    if (!n->id)
        fatal("-netdev %s: id= is required", arg);
}

static struct vdev_opt *new_device(struct virtio_config *c, const char *arg, enum virtio_kind kind)
{
    if (c->ndevs == MAX_VIRTIO_DEVICES)
        fatal("-device %s: no free virtio-mmio slot (the board has %d)", arg, MAX_VIRTIO_DEVICES);
    struct vdev_opt *d = &c->dev[c->ndevs++];
    *d = (struct vdev_opt){ .kind = kind, .slot = -1, .arg = arg };
    return d;
}

/* -nic user[,...][,model=virtio-net-device][,mac=M]: a netdev and its device. */
static void parse_nic(struct virtio_config *c, const char *arg)
{
    char *copy = strdup(arg), *save = NULL, *k, *v;
    char *type = first_item(copy, &save);
    struct netdev_opt *n = new_netdev(c, "nic", arg, type ? type : "", copy);
    struct vdev_opt *d = new_device(c, arg, VDEV_NET);
    while (next_pair("nic", arg, &save, &k, &v)) {
        if (!strcmp(k, "mac"))
            d->mac = v;
        else if (!strcmp(k, "model")) {
            if (strcmp(v, "virtio-net-device") && strcmp(v, "virtio"))
                fatal("-nic %s: model '%s' is not supported (rivet has virtio-net-device)", arg, v);
        } else if (!netdev_property(n, "nic", arg, k, v))
            fatal("-nic %s: invalid parameter '%s' (rivet knows hostfwd, net, restrict, mac, model)", arg, k);
    }
    static char nic_ids[MAX_NETDEVS][16];
    snprintf(nic_ids[c->nnetdevs - 1], sizeof(nic_ids[0]), "__nic%u", c->nnetdevs - 1);
    n->id = d->backend = nic_ids[c->nnetdevs - 1];
}

static void parse_global(struct virtio_config *c, const char *arg)
{
    const char *prefix = "virtio-mmio.force-legacy=";
    if (strncmp(arg, prefix, strlen(prefix)))
        fatal("-global %s: unsupported (rivet has virtio-mmio.force-legacy=)", arg);
    c->modern = !on_off("global", arg, "virtio-mmio.force-legacy", arg + strlen(prefix));
}

static void chardev_property(struct chardev_opt *ch, const char *k, const char *v)
{
    if (!strcmp(k, "id")) ch->id = v;
    else if (!strcmp(k, "path")) ch->path = v;
    else if (!strcmp(k, "host")) ch->host = v;
    else if (!strcmp(k, "port")) ch->port = atoi(v);
    else if (!strcmp(k, "server")) ch->server = on_off("chardev", ch->arg, k, v);
    else if (!strcmp(k, "wait")) {
        if (on_off("chardev", ch->arg, k, v))
            fatal("-chardev %s: wait=on is not supported (the guest starts at once: use wait=off)", ch->arg);
    } else if (strcmp(k, "telnet") && strcmp(k, "mux") && strcmp(k, "signal") && strcmp(k, "logfile"))
        fatal("-chardev %s: invalid parameter '%s' (rivet knows id, path, host, port, server, wait)",
              ch->arg, k);
}

static void parse_chardev(struct virtio_config *c, const char *arg)
{
    if (c->nchardevs == MAX_CHARDEVS)
        fatal("-chardev %s: more than %d character devices", arg, MAX_CHARDEVS);
    char *copy = strdup(arg), *save = NULL, *k, *v;
    struct chardev_opt *ch = &c->chardev[c->nchardevs++];
    *ch = (struct chardev_opt){ .arg = arg, .storage = copy, .port = -1 };
    ch->backend = first_item(copy, &save);
    if (!ch->backend || (strcmp(ch->backend, "socket") && strcmp(ch->backend, "file") &&
                         strcmp(ch->backend, "pty") && strcmp(ch->backend, "stdio") &&
                         strcmp(ch->backend, "null")))
        fatal("-chardev %s: backend '%s' is not supported (rivet has socket, file, pty, stdio, null)",
              arg, ch->backend ? ch->backend : "");
    while (next_pair("chardev", arg, &save, &k, &v))
        chardev_property(ch, k, v);
    if (!ch->id)
        fatal("-chardev %s: id= is required", arg);
    if (!strcmp(ch->backend, "file") && !ch->path)
        fatal("-chardev %s: file needs path=", arg);
    if (!strcmp(ch->backend, "socket") && !ch->path && (ch->port <= 0 || ch->port > 65535))
        fatal("-chardev %s: socket needs path= or a port= from 1 to 65535", arg);
}

bool virtio_parse_option(struct virtio_config *c, const char *opt, const char *arg)
{
    if (!strcmp(opt, "chardev")) {
        parse_chardev(c, arg);
        return true;
    }
    if (!strcmp(opt, "drive")) parse_drive(c, arg);
    else if (!strcmp(opt, "blockdev")) parse_blockdev(c, arg);
    else if (!strcmp(opt, "netdev")) parse_netdev(c, arg);
    else if (!strcmp(opt, "nic")) parse_nic(c, arg);
    else if (!strcmp(opt, "global")) parse_global(c, arg);
    else return false;
    return true;
}

static const struct { const char *name; enum virtio_kind kind; const char *backend; } drivers[] = {
    { "virtio-blk-device", VDEV_BLK, "drive" }, { "virtio-net-device", VDEV_NET, "netdev" },
    { "virtio-rng-device", VDEV_RNG, NULL }, { "virtio-serial-device", VDEV_SERIAL, NULL },
};

/* -device virtconsole,chardev=ID: port 0 of the last virtio-serial-device. */
static void parse_virtconsole(struct virtio_config *c, const char *arg, char *save)
{
    char *k, *v;
    struct vdev_opt *serial = NULL;
    for (unsigned i = 0; i < c->ndevs; i++)
        if (c->dev[i].kind == VDEV_SERIAL)
            serial = &c->dev[i];
    if (!serial)
        fatal("-device %s: no virtio-serial-device before it to put the console on", arg);
    if (serial->backend)
        fatal("-device %s: rivet's virtio-serial-device has one port, already taken (no multiport)", arg);
    while (next_pair("device", arg, &save, &k, &v)) {
        if (!strcmp(k, "chardev")) serial->backend = v;
        else if (strcmp(k, "id") && strcmp(k, "name"))
            fatal("-device %s: virtconsole has no property '%s'", arg, k);
    }
    if (!serial->backend)
        fatal("-device %s: virtconsole needs chardev=", arg);
}

static int slot_number(const char *arg, const char *v)
{
    const char *prefix = "virtio-mmio-bus.";
    char *end;
    if (strncmp(v, prefix, strlen(prefix)))
        fatal("-device %s: bus '%s' does not exist (virtio-mmio-bus.0 to .7)", arg, v);
    long n = strtol(v + strlen(prefix), &end, 10);
    if (*end || end == v + strlen(prefix) || n < 0 || n >= MAX_VIRTIO_DEVICES)
        fatal("-device %s: bus '%s' does not exist (virtio-mmio-bus.0 to .7)", arg, v);
    return (int)n;
}

bool virtio_parse_device(struct virtio_config *c, const char *arg)
{
    char *copy = strdup(arg), *save = NULL, *k, *v;
    char *name = first_item(copy, &save);
    if (name && !strcmp(name, "virtconsole")) {
        if (c->nvcon == MAX_VIRTIO_DEVICES)
            fatal("-device %s: too many consoles", arg);
        c->vcon_storage[c->nvcon++] = copy;
        parse_virtconsole(c, arg, save);
        return true;
    }
    size_t i = 0;
    while (i < ARRAY_SIZE(drivers) && (!name || strcmp(name, drivers[i].name)))
        i++;
    if (i == ARRAY_SIZE(drivers)) {
        free(copy);
        return false;
    }
    struct vdev_opt *d = new_device(c, arg, drivers[i].kind);
    d->storage = copy;
    while (next_pair("device", arg, &save, &k, &v)) {
        if (drivers[i].backend && !strcmp(k, drivers[i].backend)) d->backend = v;
        else if (!strcmp(k, "bus")) d->slot = slot_number(arg, v);
        else if (!strcmp(k, "mac") && d->kind == VDEV_NET) d->mac = v;
        else if (!strcmp(k, "serial") && d->kind == VDEV_BLK) d->serial = v;
        else if (!strcmp(k, "id")) { /* a name for the monitor, which rivet has not */ }
        else fatal("-device %s: %s has no property '%s'", arg, name, k);
    }
    if (drivers[i].backend && !d->backend)
        fatal("-device %s: %s needs %s=", arg, name, drivers[i].backend);
    return true;
}

static bool drive_used(const struct virtio_config *c, const char *id, const struct vdev_opt *except)
{
    for (unsigned i = 0; i < c->ndevs; i++)
        if (&c->dev[i] != except && c->dev[i].kind == VDEV_BLK && !strcmp(c->dev[i].backend, id))
            return true;
    return false;
}

static void check_backend(struct virtio_config *c, const struct vdev_opt *d)
{
    if (d->kind == VDEV_BLK) {
        for (unsigned i = 0; i < c->ndrives; i++)
            if (!strcmp(c->drive[i].id, d->backend)) {
                if (drive_used(c, d->backend, d))
                    fatal("-device %s: drive %s is already in use by another device", d->arg, d->backend);
                return;
            }
        fatal("-device %s: drive '%s' not found (no -drive ...,id=%s or -blockdev ...,node-name=%s)",
              d->arg, d->backend, d->backend, d->backend);
    }
    if (d->kind == VDEV_SERIAL && d->backend) {
        for (unsigned i = 0; i < c->nchardevs; i++)
            if (!strcmp(c->chardev[i].id, d->backend))
                return;
        fatal("-device %s: chardev '%s' not found (no -chardev ...,id=%s)", d->arg, d->backend, d->backend);
    }
    if (d->kind == VDEV_NET) {
        for (unsigned i = 0; i < c->nnetdevs; i++)
            if (!strcmp(c->netdev[i].id, d->backend))
                return;
        fatal("-device %s: netdev '%s' not found (no -netdev ...,id=%s)", d->arg, d->backend, d->backend);
    }
}

void virtio_config_check(struct virtio_config *c)
{
    for (unsigned i = 0; i < c->ndevs; i++) {
        check_backend(c, &c->dev[i]);
        for (unsigned k = 0; k < i; k++)
            if (c->dev[i].slot >= 0 && c->dev[i].slot == c->dev[k].slot)
                fatal("-device %s: virtio-mmio-bus.%d is already in use", c->dev[i].arg, c->dev[i].slot);
    }
}

void virtio_config_free(struct virtio_config *c)
{
    for (unsigned i = 0; i < c->ndrives; i++)
        free(c->drive[i].storage);
    for (unsigned i = 0; i < c->nnetdevs; i++)
        free(c->netdev[i].storage);
    for (unsigned i = 0; i < c->ndevs; i++)
        free(c->dev[i].storage);
    for (unsigned i = 0; i < c->nchardevs; i++)
        free(c->chardev[i].storage);
    for (unsigned i = 0; i < c->nvcon; i++)
        free(c->vcon_storage[i]);
}
