/** @file
 * disco.c - the `disco` command: run the VMs a configuration describes.
 *
 *   disco [--stats FILE] [--machine-stats FILE] [--summary] [--max-cycles N]
 *         [--export-disks DIR] [--trace-json FILE] [--gdb PORT [--gdb-vm NAME]]
 *         [--engine fast|interp] vms.conf
 *
 * Each VM's console output goes to stdout, every line prefixed by the VM's
 * name ("alpha: hello"); the monitor's own messages (a VM stopped for
 * misbehaving, the cycle limit) go to stderr. The exit status is 0 if every
 * VM halted with status 0, 1 if any failed, 124 at the cycle limit, 2 for
 * a configuration or monitor error.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "disco/cowdisk.h"
#include "disco/gdbvm.h"
#include "disco/monitor.h"
#include "disco/trace.h"

static const char usage_text[] =
    "usage: disco [options] vms.conf\n"
    "\n"
    "Run the virtual machines that vms.conf describes on the simulated FLASH machine\n"
    "(see reference/include/disco/config.h for the file's format).\n"
    "\n"
    "  --stats FILE       write statistics as JSON to FILE\n"
    "  --machine-stats F  write the machine's own statistics (flashsim's format) to F\n"
    "  --summary          print each VM's time split and traps at the end (stderr)\n"
    "  --max-cycles N     stop after N cycles (overrides the file)\n"
    "  --export-disks DIR after the run, write each VM's view of each cow disk to\n"
    "                     DIR/VM-diskK.img (the image with the VM's writes over it)\n"
    "  --trace-json FILE  write a timeline of the run to FILE (Trace Event Format:\n"
    "                     open it in ui.perfetto.dev or chrome://tracing)\n"
    "  --gdb PORT         debug VM NAME with gdb-multiarch (target remote :PORT): wait\n"
    "                     for it on 127.0.0.1:PORT before the first instruction\n"
    "                     (0: any free port, printed on stderr); one thread per vCPU\n"
    "  --gdb-vm NAME      the VM --gdb debugs (needed when there are several)\n"
    "  --engine NAME      fast (default) or interp, the simulator's reference\n"
    "                     interpreter: the same run cycle for cycle, slower\n"
    "  --help             this text\n"
    "\n"
    "exit status: 0 every VM halted with 0; 1 a VM failed or was stopped; 2 error;\n"
    "124 cycle limit.\n";

/* --export-disks: every VM's view of each of its cow disks into dir. */
static int export_disks(const struct monitor *mon, const char *dir)
{
    int rc = 0;
    for (int i = 0; i < mon->nvms; i++)
        for (int k = 0; k < mon->vm[i]->ndisks; k++) {
            const struct vdisk *d = &mon->vm[i]->disk[k];
            if (!d->cow)
                continue;
            char path[4096], err[512];
            snprintf(path, sizeof path, "%s/%s-disk%d.img", dir, mon->vm[i]->name, k);
            if (cowdisk_export(d, path, err, sizeof err) != 0) {
                fprintf(stderr, "disco: error: --export-disks: %s\n", err);
                rc = -1;
            }
        }
    return rc;
}

/* --gdb PORT --gdb-vm NAME: wait for gdb, which then holds the machine
 * before its first instruction. NULL (after a message) on error. */
static struct gdb *attach_gdb(struct monitor *mon, int port, const char *name, const char *conf)
{
    struct vm *vm = name ? monitor_find_vm(mon, name) : mon->nvms == 1 ? mon->vm[0] : NULL;
    if (!vm) {
        if (name)
            fprintf(stderr, "disco: error: --gdb-vm: %s has no VM named '%s'\n", conf, name);
        else
            fprintf(stderr, "disco: error: --gdb: %s has %d VMs: name one with --gdb-vm\n", conf, mon->nvms);
        return NULL;
    }
    char err[256];
    struct gdb *g = gdb_listen(port, err, sizeof err);
    if (!g) {
        fprintf(stderr, "disco: error: --gdb: %s\n", err);
        return NULL;
    }
    fprintf(stderr, "gdb: listening on port %d for VM %s\n", gdb_port(g), vm->name);
    struct gdb_target t;
    gdbvm_target(vm, &t);
    if (gdb_attach(g, mon->m, &t, err, sizeof err) != 0)
        fprintf(stderr, "disco: error: --gdb: %s (running without gdb)\n", err);
    return g;
}

/** The `disco` command: parse the options, read the configuration, run the VMs (usage above). */
int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"stats", required_argument, NULL, 's'},
        {"machine-stats", required_argument, NULL, 'm'},
        {"summary", no_argument, NULL, 'S'},
        {"max-cycles", required_argument, NULL, 'c'},
        {"export-disks", required_argument, NULL, 'e'},
        {"trace-json", required_argument, NULL, 't'},
        {"gdb", required_argument, NULL, 'g'},
        {"gdb-vm", required_argument, NULL, 'G'},
        {"engine", required_argument, NULL, 'E'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *stats = NULL, *mstats = NULL, *export_dir = NULL, *trace = NULL, *gdb_vm = NULL;
    int gdb_port_arg = -1;
    bool summary = false;
    uint64_t max_cycles = 0;
    bool have_max = false;
    enum sim_engine engine = SIM_ENGINE_FAST;
    int opt;
    while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        switch (opt) {
        case 's': stats = optarg; break;
        case 'm': mstats = optarg; break;
        case 'S': summary = true; break;
        case 'e': export_dir = optarg; break;
        case 't': trace = optarg; break;
        case 'g':
            if (!gdb_parse_port(optarg, &gdb_port_arg)) {
                fprintf(stderr, "disco: error: --gdb: '%s' is not a port number (0 to 65535)\n", optarg);
                return 2;
            }
            break;
        case 'G': gdb_vm = optarg; break;
        case 'E':
            if (!sim_parse_engine(optarg, &engine)) {
                fprintf(stderr, "disco: error: --engine: '%s' is not fast or interp\n", optarg);
                return 2;
            }
            break;
        case 'c':
            if (!sim_parse_size(optarg, UINT64_MAX, &max_cycles)) {
                fprintf(stderr, "disco: error: --max-cycles: '%s' is not a number\n", optarg);
                return 2;
            }
            have_max = true;
            break;
        case 'h': fputs(usage_text, stdout); return 0;
        default: fputs(usage_text, stderr); return 2;
        }
    }
    if (optind != argc - 1) {
        fputs(usage_text, stderr);
        return 2;
    }
    if (gdb_vm && gdb_port_arg < 0) {
        fprintf(stderr, "disco: error: --gdb-vm: needs --gdb PORT\n");
        return 2;
    }
    static struct disco_config cfg;
    char err[512];
    if (config_read(argv[optind], &cfg, err, sizeof err) != 0) {
        fprintf(stderr, "disco: error: %s\n", err);
        return 2;
    }
    if (have_max)
        cfg.machine.max_cycles = max_cycles;
    cfg.machine.engine = engine;
    struct monitor *mon = monitor_create(&cfg, stdout, err, sizeof err);
    if (!mon) {
        fprintf(stderr, "disco: error: %s\n", err);
        return 2;
    }
    if (trace && trace_open(mon, trace, 0, err, sizeof err) != 0) {
        fprintf(stderr, "disco: error: --trace-json: %s\n", err);
        monitor_destroy(mon);
        return 2;
    }
    struct gdb *gdb = NULL;
    if (gdb_port_arg >= 0 && !(gdb = attach_gdb(mon, gdb_port_arg, gdb_vm, argv[optind]))) {
        monitor_destroy(mon);
        return 2;
    }
    int status = monitor_run(mon);
    gdb_finish(gdb, status);
    gdb_destroy(gdb);
    if (trace && trace_close(mon) != 0) {
        fprintf(stderr, "disco: error: --trace-json: %s: cannot write\n", trace);
        status = 2;
    }
    if (summary)
        monitor_print_summary(mon, stderr);
    if (stats && monitor_write_stats(mon, stats, err, sizeof err) != 0) {
        fprintf(stderr, "disco: error: stats: %s\n", err);
        status = 2;
    }
    if (mstats && sim_write_stats(mon->m, mstats, err, sizeof err) != 0) {
        fprintf(stderr, "disco: error: machine stats: %s\n", err);
        status = 2;
    }
    if (export_dir && export_disks(mon, export_dir) != 0)
        status = 2;
    monitor_destroy(mon);
    return status;
}
