/** @file
 * config.c - reading the `disco` configuration file with inih.
 *
 * The format is in config.h. inih calls handler() for every name = value
 * line; the first problem is recorded with its message, and ini_parse
 * reports its line. Checks that concern a whole VM section (a kernel is
 * given, the memory size) run after parsing and name the section's line,
 * which a quick scan of the text records beforehand.
 */
#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "disco/config.h"

#define MAX_LINE 200 /**< inih's line buffer (INI_MAX_LINE) */
#define MAX_CONFIG_BYTES (1u << 20) /**< a configuration is a few lines: refuse anything huge */

/** A "[vm NAME]" header as the reader saw it. */
struct section_line {
    char name[DISCO_NAME_MAX + 8]; /**< NAME (possibly too long: checked later) */
    int line;                      /**< its line */
};

/** State of one parse. */
struct parse {
    struct disco_config *c;           /**< what is being filled */
    char msg[200];                    /**< the first problem, without its line */
    const char *text;                 /**< the reader's position in the text */
    int line;                         /**< the line the reader gave last */
    int long_line;                    /**< first line too long for inih, or 0 */
    int machine_line;                 /**< line of the last [machine] key */
    struct section_line vm_lines[DISCO_MAX_VMS + 1]; /**< [vm ...] headers, in order */
    int nvm_lines;                    /**< how many */
    int bad_header;                   /**< line of a section header that is not one of ours, or 0 */
    int dup_line;                     /**< line of a second [vm NAME] for the same NAME, or 0 */
    int dup_first;                    /**< line of the first one */
};

void config_default(struct disco_config *c)
{
    memset(c, 0, sizeof *c);
    sim_config_default(&c->machine);
    c->machine.console_in_fd = -1;
    c->monitor.quantum = 3000000; /* 10 ms at 300 MHz */
    c->monitor.halpage = true;
    c->monitor.prefix = true;
    c->monitor.numa = (struct numa_config){.on = true, .migrate_share = 80, .max_moves = 4, .replicate = true,
                                         .freeze = 300000};
}

static int problem(struct parse *p, const char *fmt, ...)
{
    if (!p->msg[0]) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(p->msg, sizeof p->msg, fmt, ap);
        va_end(ap);
    }
    return 0; /* tells inih this line is in error */
}

static bool parse_bool(const char *v, bool *out)
{
    if (!strcmp(v, "on") || !strcmp(v, "yes") || !strcmp(v, "true") || !strcmp(v, "1"))
        *out = true;
    else if (!strcmp(v, "off") || !strcmp(v, "no") || !strcmp(v, "false") || !strcmp(v, "0"))
        *out = false;
    else
        return false;
    return true;
}

/* A number that fits a uint32_t field. */
static bool u32(const char *v, uint64_t max, uint32_t *out)
{
    uint64_t x;
    if (!sim_parse_size(v, max, &x))
        return false;
    *out = (uint32_t)x;
    return true;
}

static bool pow2(uint64_t x)
{
    return x && !(x & (x - 1));
}

static int machine_key(struct parse *p, const char *name, const char *v)
{
    struct sim_config *m = &p->c->machine;
    uint64_t x;
    bool ok = true;
    p->machine_line = p->line;
    if (!strcmp(name, "nodes")) {
        ok = sim_parse_size(v, SIM_MAX_NODES, &x) && x >= 1;
        m->nodes = (int)x;
    } else if (!strcmp(name, "mem_per_node")) ok = u32(v, UINT32_MAX, &m->mem_per_node);
    else if (!strcmp(name, "cache")) ok = parse_bool(v, &m->cache_enabled);
    else if (!strcmp(name, "cache_size")) ok = u32(v, UINT32_MAX, &m->cache_size);
    else if (!strcmp(name, "cache_assoc")) ok = u32(v, 16, &m->cache_assoc);
    else if (!strcmp(name, "cache_line")) ok = u32(v, 4096, &m->cache_line);
    else if (!strcmp(name, "lat_local")) ok = u32(v, 1000000, &m->lat_local);
    else if (!strcmp(name, "lat_remote")) ok = u32(v, 1000000, &m->lat_remote);
    else if (!strcmp(name, "hot_threshold")) ok = u32(v, UINT32_MAX, &m->hot_threshold);
    else if (!strcmp(name, "quantum")) ok = u32(v, UINT32_MAX, &m->quantum);
    else if (!strcmp(name, "seed")) ok = sim_parse_size(v, UINT64_MAX, &m->seed);
    else if (!strcmp(name, "max_cycles")) ok = sim_parse_size(v, UINT64_MAX, &m->max_cycles);
    else return problem(p, "unknown key '%s' in [machine]", name);
    if (!ok)
        return problem(p, "[machine] %s: '%s' is not a valid value", name, v);
    /* What the machine would refuse, said at this line. */
    if (!strcmp(name, "mem_per_node") && (!pow2(m->mem_per_node) || m->mem_per_node < (64u << 10)))
        return problem(p, "[machine] mem_per_node must be a power of two of at least 64K");
    if ((!strcmp(name, "cache_size") && !pow2(m->cache_size)) ||
        (!strcmp(name, "cache_line") && (!pow2(m->cache_line) || m->cache_line < 16)))
        return problem(p, "[machine] %s must be a power of two", name);
    if ((!strcmp(name, "quantum") || !strcmp(name, "hot_threshold") || !strcmp(name, "cache_assoc")) &&
        strtoull(v, NULL, 0) == 0)
        return problem(p, "[machine] %s must be at least 1", name);
    return 1;
}

static int monitor_key(struct parse *p, const char *name, const char *v)
{
    struct monitor_config *mc = &p->c->monitor;
    bool ok = true;
    if (!strcmp(name, "quantum"))
        ok = sim_parse_size(v, UINT32_MAX, &mc->quantum) && mc->quantum >= 1000;
    else if (!strcmp(name, "halpage")) ok = parse_bool(v, &mc->halpage);
    else if (!strcmp(name, "prefix")) ok = parse_bool(v, &mc->prefix);
    else if (!strcmp(name, "check")) ok = parse_bool(v, &mc->check);
    else if (!strcmp(name, "numa")) ok = parse_bool(v, &mc->numa.on);
    else if (!strcmp(name, "numa_replicate")) ok = parse_bool(v, &mc->numa.replicate);
    else if (!strcmp(name, "numa_max_moves")) ok = u32(v, UINT16_MAX, &mc->numa.max_moves);
    else if (!strcmp(name, "numa_freeze")) ok = sim_parse_size(v, UINT64_MAX, &mc->numa.freeze);
    else if (!strcmp(name, "memory_sample")) ok = sim_parse_size(v, UINT64_MAX, &mc->memory_sample);
    else if (!strcmp(name, "numa_migrate_share"))
        ok = u32(v, 100, &mc->numa.migrate_share) && mc->numa.migrate_share >= 51;
    else return problem(p, "unknown key '%s' in [monitor]", name);
    return ok ? 1 : problem(p, "[monitor] %s: '%s' is not a valid value", name, v);
}

static bool copy(char *dst, size_t n, const char *v)
{
    if (strlen(v) >= n)
        return false;
    strcpy(dst, v);
    return true;
}

/* One word of letters, digits, '_' and '-' that fits in n bytes. */
static bool word_value(const char *v, char *dst, size_t n)
{
    if (!*v || strlen(v) >= n)
        return false;
    for (const char *c = v; *c; c++)
        if (!isalnum((unsigned char)*c) && *c != '_' && *c != '-')
            return false;
    strcpy(dst, v);
    return true;
}

/* A disk line: "PATH", "PATH persistent" or "PATH cow". */
static bool disk_value(const char *v, char *path, size_t n, bool *cow)
{
    const char *sp = strrchr(v, ' ');
    const char *mode = sp ? sp + 1 : "";
    *cow = !strcmp(mode, "cow");
    if (!*cow && strcmp(mode, "persistent"))
        return copy(path, n, v); /* no mode word: persistent */
    size_t len = (size_t)(sp - v);
    while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t'))
        len--;
    if (len == 0 || len >= n)
        return false;
    memcpy(path, v, len);
    path[len] = '\0';
    return true;
}

static struct vm_config *vm_section(struct parse *p, const char *vmname)
{
    struct disco_config *c = p->c;
    for (int i = 0; i < c->nvms; i++)
        if (!strcmp(c->vm[i].name, vmname))
            return &c->vm[i];
    if (c->nvms == DISCO_MAX_VMS)
        return NULL;
    struct vm_config *vm = &c->vm[c->nvms];
    memset(vm, 0, sizeof *vm);
    snprintf(vm->name, sizeof vm->name, "%s", vmname);
    vm->cpus = 1;
    vm->node = -1;
    vm->line = p->line;
    for (int i = 0; i < p->nvm_lines; i++)
        if (!strcmp(p->vm_lines[i].name, vmname))
            vm->line = p->vm_lines[i].line;
    c->nvms++;
    return vm;
}

static int vm_key(struct parse *p, const char *vmname, const char *name, const char *v)
{
    if (!*vmname || strlen(vmname) >= DISCO_NAME_MAX || strchr(vmname, ' '))
        return problem(p, "a VM section is [vm NAME], NAME one word of at most %d characters",
                       DISCO_NAME_MAX - 1);
    struct vm_config *vm = vm_section(p, vmname);
    if (!vm)
        return problem(p, "too many VMs (at most %d)", DISCO_MAX_VMS);
    uint64_t x;
    bool ok = true;
    if (!strcmp(name, "cpus")) {
        ok = sim_parse_size(v, DISCO_MAX_VCPUS, &x) && x >= 1;
        vm->cpus = (int)x;
    } else if (!strcmp(name, "memory")) {
        ok = u32(v, 0x1F000000u, &vm->memory);
    } else if (!strcmp(name, "kernel")) {
        ok = copy(vm->kernel, sizeof vm->kernel, v);
    } else if (!strcmp(name, "disk")) {
        if (vm->ndisks == DISCO_MAX_VDISKS)
            return problem(p, "VM %s: at most %d disks", vmname, DISCO_MAX_VDISKS);
        ok = disk_value(v, vm->disk[vm->ndisks], sizeof vm->disk[0], &vm->disk_cow[vm->ndisks]);
        vm->disk_line[vm->ndisks] = p->line;
        vm->ndisks += ok;
    } else if (!strcmp(name, "args")) {
        ok = copy(vm->args, sizeof vm->args, v);
    } else if (!strcmp(name, "console")) {
        ok = copy(vm->console, sizeof vm->console, v);
    } else if (!strcmp(name, "timeout")) {
        ok = sim_parse_size(v, UINT64_MAX, &vm->timeout);
    } else if (!strcmp(name, "node")) {
        ok = sim_parse_size(v, SIM_MAX_NODES - 1, &x);
        vm->node = (int)x;
    } else if (!strcmp(name, "net")) {
        ok = sim_parse_size(v, 254, &x) && x >= 1;
        vm->net = (uint32_t)x;
        vm->net_line = p->line;
    } else if (!strcmp(name, "subnet")) {
        ok = word_value(v, vm->subnet, sizeof vm->subnet);
    } else {
        return problem(p, "unknown key '%s' in [vm %s]", name, vmname);
    }
    return ok ? 1 : problem(p, "[vm %s] %s: '%s' is not a valid value", vmname, name, v);
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
    struct parse *p = user;
    if (!strcmp(section, "machine"))
        return machine_key(p, name, value);
    if (!strcmp(section, "monitor"))
        return monitor_key(p, name, value);
    if (!strncmp(section, "vm ", 3))
        return vm_key(p, section + 3, name, value);
    if (!strcmp(section, "vm"))
        return problem(p, "a VM section needs a name: [vm NAME]");
    return problem(p, "unknown section [%s]", section);
}

/* inih's reader: hands out the text line by line, counting lines, noting
 * "[vm NAME]" headers (the handler never sees headers) and lines too long
 * for inih's buffer (which it would otherwise cut in two). */
static char *reader(char *buf, int size, void *stream)
{
    struct parse *p = stream;
    if (!*p->text)
        return NULL;
    const char *nl = strchr(p->text, '\n');
    size_t len = nl ? (size_t)(nl - p->text) + 1 : strlen(p->text);
    p->line++;
    if (len >= (size_t)size) {
        if (!p->long_line)
            p->long_line = p->line;
        len = 0; /* give inih an empty line instead */
    }
    memcpy(buf, p->text, len);
    buf[len] = 0;
    p->text += len ? len : (nl ? (size_t)(nl - p->text) + 1 : strlen(p->text));
    const char *h = buf;
    while (*h == ' ' || *h == '\t')
        h++;
    if (*h == '[' && strncmp(h, "[vm ", 4) && strncmp(h, "[machine]", 9) &&
        strncmp(h, "[monitor]", 9) && !p->bad_header)
        p->bad_header = p->line; /* unknown, or [vm] without a name, even with no keys */
    if (!strncmp(h, "[vm ", 4) && p->nvm_lines <= DISCO_MAX_VMS) {
        struct section_line *sl = &p->vm_lines[p->nvm_lines++];
        snprintf(sl->name, sizeof sl->name, "%s", h + 4);
        char *end = strchr(sl->name, ']');
        if (end)
            *end = 0;
        sl->line = p->line;
        /* inih would quietly merge two sections of one name into one VM. */
        for (int i = 0; i + 1 < p->nvm_lines && !p->dup_line; i++) {
            if (!strcmp(p->vm_lines[i].name, sl->name)) {
                p->dup_line = p->line;
                p->dup_first = p->vm_lines[i].line;
            }
        }
    }
    return buf;
}

/* Do two disk = lines name one image? By device and inode when both
 * exist (so that ./a.img and a.img are the same), else by name. */
static bool same_image(const char *a, const char *b)
{
    struct stat sa, sb;
    if (stat(a, &sa) == 0 && stat(b, &sb) == 0)
        return sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
    return !strcmp(a, b);
}

/* A persistent disk is one VM's: two writers of one image would corrupt
 * it (and one VM would read the other's data). */
static int check_disks(const struct disco_config *c, const char *name, char *err, size_t errlen)
{
    for (int i = 0; i < c->nvms; i++) {
        for (int k = 0; k < c->vm[i].ndisks; k++) {
            for (int j = 0; j <= i; j++) {
                int lim = j == i ? k : c->vm[j].ndisks;
                for (int l = 0; l < lim; l++) {
                    if (!same_image(c->vm[i].disk[k], c->vm[j].disk[l]) ||
                        (c->vm[i].disk_cow[k] && c->vm[j].disk_cow[l] && j != i))
                        continue;
                    snprintf(err, errlen,
                             "%s:%d: [vm %s]: disk %s is already disk %d of VM %s (line %d): a "
                             "persistent disk belongs to one VM (name it cow in each VM to share it)",
                             name, c->vm[i].disk_line[k], c->vm[i].name, c->vm[i].disk[k], l,
                             c->vm[j].name, c->vm[j].disk_line[l]);
                    return -1;
                }
            }
        }
    }
    return 0;
}

const char *config_subnet(const struct vm_config *vm)
{
    return vm->subnet[0] ? vm->subnet : "lan";
}

/* The virtual network: an address names one VM of its subnet, and a
 * subnet means nothing without an address. */
static int check_net(const struct disco_config *c, const char *name, char *err, size_t errlen)
{
    for (int i = 0; i < c->nvms; i++) {
        const struct vm_config *a = &c->vm[i];
        if (a->subnet[0] && !a->net) {
            snprintf(err, errlen, "%s:%d: [vm %s]: subnet %s without a net address (net = 1..254)",
                     name, a->line, a->name, a->subnet);
            return -1;
        }
        for (int j = 0; j < i && a->net; j++) {
            const struct vm_config *b = &c->vm[j];
            if (b->net == a->net && !strcmp(config_subnet(b), config_subnet(a))) {
                snprintf(err, errlen, "%s:%d: [vm %s]: net address %u is VM %s's already (line %d) on subnet %s",
                         name, a->net_line, a->name, a->net, b->name, b->net_line, config_subnet(a));
                return -1;
            }
        }
    }
    return 0;
}

/* Does every VM fit the machine's memory at once? Each needs its memory
 * and one page per vCPU (the HAL page the monitor keeps for it): the
 * monitor allocates guest pages on first use, so a VM that did not fit
 * would otherwise be stopped half way through its run. */
static int check_memory(const struct disco_config *c, const char *name, char *err, size_t errlen)
{
    uint64_t machine = (uint64_t)c->machine.nodes * c->machine.mem_per_node / MIPS_PAGE_SIZE;
    uint64_t need = 0;
    for (int i = 0; i < c->nvms; i++) {
        const struct vm_config *vm = &c->vm[i];
        uint64_t pages = vm->memory / MIPS_PAGE_SIZE + (uint64_t)vm->cpus;
        need += pages;
        if (need > machine) {
            snprintf(err, errlen,
                     "%s:%d: [vm %s]: the VMs need %llu KB of machine memory (memory plus a 4 KB "
                     "page per vCPU for the monitor; this one %llu KB), but the machine has %llu KB",
                     name, vm->line, vm->name, (unsigned long long)need * 4,
                     (unsigned long long)pages * 4, (unsigned long long)machine * 4);
            return -1;
        }
    }
    return 0;
}

/* Whole-configuration checks. */
static int check(struct parse *p, const char *name, char *err, size_t errlen)
{
    struct disco_config *c = p->c;
    char why[200];
    if (sim_config_check(&c->machine, why, sizeof why) != 0) {
        snprintf(err, errlen, "%s:%d: [machine]: %s", name, p->machine_line, why);
        return -1;
    }
    for (int i = 0; i < p->nvm_lines; i++) {
        bool found = false;
        for (int k = 0; k < c->nvms; k++)
            found |= !strcmp(c->vm[k].name, p->vm_lines[i].name);
        if (!found) {
            snprintf(err, errlen, "%s:%d: [vm %s]: an empty section (a VM needs kernel and memory)",
                     name, p->vm_lines[i].line, p->vm_lines[i].name);
            return -1;
        }
    }
    if (c->nvms == 0) {
        snprintf(err, errlen, "%s: no virtual machine: add a [vm NAME] section", name);
        return -1;
    }
    for (int i = 0; i < c->nvms; i++) {
        const struct vm_config *vm = &c->vm[i];
        const char *bad = NULL;
        if (!vm->kernel[0])
            bad = "no kernel = FILE";
        else if (vm->memory < (1u << 20) || vm->memory % MIPS_PAGE_SIZE)
            bad = "memory must be given, at least 1M and a whole number of pages";
        else if (vm->memory > 0x1FFFF000u)
            bad = "memory must fit the supervisor segment below the HAL page (at most 511M)";
        else if (vm->node >= c->machine.nodes)
            bad = "node is not a node of the machine";
        if (bad) {
            snprintf(err, errlen, "%s:%d: [vm %s]: %s", name, vm->line, vm->name, bad);
            return -1;
        }
    }
    if (check_disks(c, name, err, errlen) != 0 || check_net(c, name, err, errlen) != 0)
        return -1;
    return check_memory(c, name, err, errlen);
}

int config_parse_string(const char *text, const char *name, struct disco_config *c, char *err,
                        size_t errlen)
{
    struct parse p = {.c = c, .text = text};
    config_default(c);
    int line = ini_parse_stream(reader, &p, handler, &p);
    if (p.long_line && (line == 0 || p.long_line < line)) {
        snprintf(err, errlen, "%s:%d: line too long (at most %d characters)", name, p.long_line,
                 MAX_LINE - 2);
        return -1;
    }
    if (line != 0) {
        snprintf(err, errlen, "%s:%d: %s", name, line, p.msg[0] ? p.msg : "syntax error");
        return -1;
    }
    if (p.dup_line && (line == 0 || p.dup_line < line)) {
        const char *vmname = "";
        for (int i = 0; i < p.nvm_lines; i++)
            if (p.vm_lines[i].line == p.dup_line)
                vmname = p.vm_lines[i].name;
        snprintf(err, errlen, "%s:%d: a second [vm %s] section (the first is at line %d): VM names "
                 "must differ", name, p.dup_line, vmname, p.dup_first);
        return -1;
    }
    if (p.bad_header) {
        snprintf(err, errlen, "%s:%d: unknown section: the sections are [machine], [monitor] and [vm NAME]",
                 name, p.bad_header);
        return -1;
    }
    return check(&p, name, err, errlen);
}

int config_read(const char *path, struct disco_config *c, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    /* A directory, /dev/zero or a pipe is not a configuration: say so at
     * once instead of reading until memory runs out. */
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s:1: not a regular file (%s)", path,
                 fstat(fileno(f), &st) != 0 ? strerror(errno)
                 : S_ISDIR(st.st_mode)      ? "a directory"
                                            : "a device, pipe or socket");
        fclose(f);
        return -1;
    }
    if (st.st_size > MAX_CONFIG_BYTES) {
        snprintf(err, errlen, "%s:1: %lld bytes: too large for a configuration (at most %u)", path,
                 (long long)st.st_size, MAX_CONFIG_BYTES);
        fclose(f);
        return -1;
    }
    char *text = malloc(MAX_CONFIG_BYTES + 1);
    if (!text) {
        fclose(f);
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    size_t len = fread(text, 1, MAX_CONFIG_BYTES + 1, f);
    bool failed = ferror(f) != 0;
    fclose(f);
    if (failed || len > MAX_CONFIG_BYTES) {
        snprintf(err, errlen, "%s:1: %s", path, failed ? "cannot be read" : "too large for a configuration");
        free(text);
        return -1;
    }
    text[len] = 0;
    /* A NUL would end the text early and hide what follows. */
    const char *nul = memchr(text, 0, len);
    if (nul) {
        int line = 1;
        for (const char *q = text; q < nul; q++)
            line += *q == '\n';
        snprintf(err, errlen, "%s:%d: a NUL byte: a configuration is text", path, line);
        free(text);
        return -1;
    }
    int rc = config_parse_string(text, path, c, err, errlen);
    free(text);
    return rc;
}
