/*
 * flashsim.c - the `flashsim` command: run a program on the FLASH machine.
 *
 *   flashsim [options] kernel.elf
 *
 * The console is stdout (output) and stdin (input). The exit status is the
 * value the guest wrote to the HALT register (its low 8 bits), or one of:
 *   2   usage, configuration or simulator error
 *   124 the --max-cycles limit was reached
 *   125 the guest double-faulted (took an exception with Status.BEV=1)
 *   126 deadlock: every CPU is off and nothing is pending
 * Guests should halt with 0 for success and 1 for failure.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "flash/gdb.h"
#include "flash/sim.h"
#include "flash/timeline.h"

static const char usage_text[] =
    "usage: flashsim [options] kernel.elf\n"
    "\n"
    "Run a MIPS32 little-endian ELF program on the simulated FLASH machine.\n"
    "The console is stdout and stdin. Sizes take a K, M or G suffix.\n"
    "\n"
    "machine:\n"
    "  --nodes N            nodes, one CPU each (1-32; default 8)\n"
    "  --mem-per-node SIZE  memory per node, a power of two (default 32M)\n"
    "  --disk FILE          attach a raw disk image (repeat for disks 0, 1, ...)\n"
    "  --disk-ro FILE       attach a disk image read-only\n"
    "  --seed N             seed of the disk rotational-latency draws (default 1)\n"
    "  --quantum N          cycles each CPU runs before the next (default 1000)\n"
    "  --engine NAME        fast (default) or interp, the reference interpreter:\n"
    "                       the same run cycle for cycle, interp is slower\n"
    "caches and memory timing:\n"
    "  --cache-size SIZE    per-CPU cache size (default 1M)\n"
    "  --cache-assoc N      ways (default 2)\n"
    "  --cache-line N       line size in bytes (default 128)\n"
    "  --no-cache           no cache model: every access hits, no stalls\n"
    "  --lat-local N        cycles for a local miss (default 90)\n"
    "  --lat-remote N       cycles for a remote miss (default 270)\n"
    "  --hot-threshold N    MAGIC misses that make a page hot (default 64)\n"
    "disks:\n"
    "  --disk-seek N        seek cycles for a non-sequential request (default 300000)\n"
    "  --disk-rotation N    cycles per revolution (default 1200000)\n"
    "  --disk-overhead N    controller cycles per request (default 15000)\n"
    "  --disk-mbps N        transfer rate in MB/s at 300 MHz (default 20)\n"
    "run and output:\n"
    "  --max-cycles N       stop after N cycles (exit status 124)\n"
    "  --stats FILE         write statistics as JSON to FILE\n"
    "  --trace LIST         trace to stderr: insn, exc, mark, dev or all (comma list)\n"
    "  --trace-file FILE    write the trace to FILE instead\n"
    "  --trace-json FILE    write a timeline of the run to FILE (Trace Event Format:\n"
    "                       open it in ui.perfetto.dev or chrome://tracing)\n"
    "  --gdb PORT           debug the run with gdb-multiarch (target remote :PORT):\n"
    "                       wait for it on 127.0.0.1:PORT before the first\n"
    "                       instruction (0: any free port, printed on stderr)\n"
    "  --quiet              say nothing about how the run ended\n"
    "  --help               this text\n"
    "\n"
    "exit status: the guest's HALT value (low 8 bits); 2 usage or simulator error;\n"
    "124 cycle limit; 125 guest double fault; 126 deadlock.\n";

enum {
    OPT_NODES = 256, OPT_MEM, OPT_DISK, OPT_DISK_RO, OPT_SEED, OPT_QUANTUM, OPT_CACHE_SIZE,
    OPT_CACHE_ASSOC, OPT_CACHE_LINE, OPT_NO_CACHE, OPT_LAT_LOCAL, OPT_LAT_REMOTE, OPT_HOT,
    OPT_DISK_SEEK, OPT_DISK_ROT, OPT_DISK_OVER, OPT_DISK_MBPS, OPT_MAX_CYCLES, OPT_STATS,
    OPT_TRACE, OPT_TRACE_FILE, OPT_TRACE_JSON, OPT_GDB, OPT_QUIET, OPT_HELP,
    OPT_ENGINE,
};

static const struct option options[] = {
    {"nodes", required_argument, NULL, OPT_NODES},
    {"mem-per-node", required_argument, NULL, OPT_MEM},
    {"disk", required_argument, NULL, OPT_DISK},
    {"disk-ro", required_argument, NULL, OPT_DISK_RO},
    {"seed", required_argument, NULL, OPT_SEED},
    {"quantum", required_argument, NULL, OPT_QUANTUM},
    {"engine", required_argument, NULL, OPT_ENGINE},
    {"cache-size", required_argument, NULL, OPT_CACHE_SIZE},
    {"cache-assoc", required_argument, NULL, OPT_CACHE_ASSOC},
    {"cache-line", required_argument, NULL, OPT_CACHE_LINE},
    {"no-cache", no_argument, NULL, OPT_NO_CACHE},
    {"lat-local", required_argument, NULL, OPT_LAT_LOCAL},
    {"lat-remote", required_argument, NULL, OPT_LAT_REMOTE},
    {"hot-threshold", required_argument, NULL, OPT_HOT},
    {"disk-seek", required_argument, NULL, OPT_DISK_SEEK},
    {"disk-rotation", required_argument, NULL, OPT_DISK_ROT},
    {"disk-overhead", required_argument, NULL, OPT_DISK_OVER},
    {"disk-mbps", required_argument, NULL, OPT_DISK_MBPS},
    {"max-cycles", required_argument, NULL, OPT_MAX_CYCLES},
    {"stats", required_argument, NULL, OPT_STATS},
    {"trace", required_argument, NULL, OPT_TRACE},
    {"trace-file", required_argument, NULL, OPT_TRACE_FILE},
    {"trace-json", required_argument, NULL, OPT_TRACE_JSON},
    {"gdb", required_argument, NULL, OPT_GDB},
    {"quiet", no_argument, NULL, OPT_QUIET},
    {"help", no_argument, NULL, OPT_HELP},
    {NULL, 0, NULL, 0},
};

static int die(const char *what, const char *why)
{
    fprintf(stderr, "flashsim: error: %s: %s\n", what, why);
    return SIM_EXIT_ERROR;
}

static bool parse_trace(const char *s, unsigned *out)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", s);
    *out = 0;
    for (char *tok = strtok(buf, ","); tok; tok = strtok(NULL, ",")) {
        if (!strcmp(tok, "insn")) *out |= SIM_TRACE_INSN;
        else if (!strcmp(tok, "exc")) *out |= SIM_TRACE_EXC;
        else if (!strcmp(tok, "mark")) *out |= SIM_TRACE_MARK;
        else if (!strcmp(tok, "dev")) *out |= SIM_TRACE_DEV;
        else if (!strcmp(tok, "all")) *out |= SIM_TRACE_INSN | SIM_TRACE_EXC | SIM_TRACE_MARK | SIM_TRACE_DEV;
        else return false;
    }
    return true;
}

/** A --disk or --disk-ro option, kept until the machine exists. */
struct disk_arg {
    const char *path; /**< image file */
    bool read_only;   /**< from --disk-ro */
};

int main(int argc, char **argv)
{
    struct sim_config cfg;
    sim_config_default(&cfg);
    struct disk_arg disks[SIM_MAX_DISKS];
    int ndisks = 0;
    const char *stats_path = NULL, *trace_path = NULL, *timeline_path = NULL;
    bool quiet = false;
    int opt, gdb_port_arg = -1;

    while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
        uint64_t v = 0;
        const char *name = NULL;
        bool ok = true;
        switch (opt) {
        case OPT_NODES: ok = sim_parse_size(optarg, SIM_MAX_NODES, &v); cfg.nodes = (int)v; name = "--nodes"; break;
        case OPT_MEM: ok = sim_parse_size(optarg, UINT32_MAX, &v); cfg.mem_per_node = (uint32_t)v; name = "--mem-per-node"; break;
        case OPT_DISK: case OPT_DISK_RO:
            if (ndisks == SIM_MAX_DISKS)
                return die("--disk", "at most 16 disks");
            disks[ndisks++] = (struct disk_arg){optarg, opt == OPT_DISK_RO};
            break;
        case OPT_SEED: ok = sim_parse_size(optarg, UINT64_MAX, &cfg.seed); name = "--seed"; break;
        case OPT_QUANTUM: ok = sim_parse_size(optarg, UINT32_MAX, &v); cfg.quantum = (uint32_t)v; name = "--quantum"; break;
        case OPT_ENGINE:
            if (!sim_parse_engine(optarg, &cfg.engine))
                return die("--engine", "expected fast or interp");
            break;
        case OPT_CACHE_SIZE: ok = sim_parse_size(optarg, UINT32_MAX, &v); cfg.cache_size = (uint32_t)v; name = "--cache-size"; break;
        case OPT_CACHE_ASSOC: ok = sim_parse_size(optarg, 16, &v); cfg.cache_assoc = (uint32_t)v; name = "--cache-assoc"; break;
        case OPT_CACHE_LINE: ok = sim_parse_size(optarg, 4096, &v); cfg.cache_line = (uint32_t)v; name = "--cache-line"; break;
        case OPT_NO_CACHE: cfg.cache_enabled = false; break;
        case OPT_LAT_LOCAL: ok = sim_parse_size(optarg, 1000000, &v); cfg.lat_local = (uint32_t)v; name = "--lat-local"; break;
        case OPT_LAT_REMOTE: ok = sim_parse_size(optarg, 1000000, &v); cfg.lat_remote = (uint32_t)v; name = "--lat-remote"; break;
        case OPT_HOT: ok = sim_parse_size(optarg, UINT32_MAX, &v); cfg.hot_threshold = (uint32_t)v; name = "--hot-threshold"; break;
        case OPT_DISK_SEEK: ok = sim_parse_size(optarg, UINT32_MAX, &v); cfg.disk_seek = (uint32_t)v; name = "--disk-seek"; break;
        case OPT_DISK_ROT: ok = sim_parse_size(optarg, UINT32_MAX, &v); cfg.disk_rotation = (uint32_t)v; name = "--disk-rotation"; break;
        case OPT_DISK_OVER: ok = sim_parse_size(optarg, UINT32_MAX, &v); cfg.disk_overhead = (uint32_t)v; name = "--disk-overhead"; break;
        case OPT_DISK_MBPS: ok = sim_parse_size(optarg, 100000, &v); cfg.disk_mbps = (uint32_t)v; name = "--disk-mbps"; break;
        case OPT_MAX_CYCLES: ok = sim_parse_size(optarg, UINT64_MAX, &cfg.max_cycles); name = "--max-cycles"; break;
        case OPT_STATS: stats_path = optarg; break;
        case OPT_TRACE:
            if (!parse_trace(optarg, &cfg.trace))
                return die("--trace", "expected a comma list of insn, exc, mark, dev, all");
            break;
        case OPT_TRACE_FILE: trace_path = optarg; break;
        case OPT_TRACE_JSON: timeline_path = optarg; break;
        case OPT_GDB: ok = gdb_parse_port(optarg, &gdb_port_arg); name = "--gdb"; break;
        case OPT_QUIET: quiet = true; break;
        case 'h': case OPT_HELP: fputs(usage_text, stdout); return 0;
        default: fputs(usage_text, stderr); return SIM_EXIT_ERROR;
        }
        if (!ok) {
            char why[160];
            snprintf(why, sizeof why, "'%s' is not a valid number or size here", optarg);
            return die(name, why);
        }
    }
    if (optind != argc - 1) {
        fputs(usage_text, stderr);
        return SIM_EXIT_ERROR;
    }
    const char *kernel = argv[optind];

    FILE *trace = NULL;
    if (trace_path) {
        trace = fopen(trace_path, "w");
        if (!trace)
            return die(trace_path, strerror(errno));
        cfg.trace_out = trace;
    }

    char err[256];
    struct sim *m = sim_create(&cfg, err, sizeof err);
    if (!m) {
        if (trace)
            fclose(trace);
        return die("configuration", err);
    }
    int status = SIM_EXIT_ERROR;
    for (int i = 0; i < ndisks; i++) {
        if (sim_attach_disk(m, disks[i].path, disks[i].read_only, err, sizeof err) < 0) {
            die("disk", err);
            goto out;
        }
    }
    if (sim_load_elf_file(m, kernel, err, sizeof err) != 0) {
        die("kernel", err);
        goto out;
    }

    if (timeline_path && sim_timeline_open(m, timeline_path, 0, SIM_TIMELINE_MODES | SIM_TIMELINE_DISKS,
                                           err, sizeof err) != 0) {
        die("--trace-json", err);
        goto out;
    }

    struct gdb *gdb = NULL;
    if (gdb_port_arg >= 0) {
        if (!(gdb = gdb_listen(gdb_port_arg, err, sizeof err))) {
            die("--gdb", err);
            goto out;
        }
        fprintf(stderr, "gdb: listening on port %d\n", gdb_port(gdb));
        if (gdb_attach(gdb, m, NULL, err, sizeof err) != 0)
            die("--gdb", err);
    }

    enum sim_stop_reason why = sim_run(m);
    status = sim_exit_status(m);
    gdb_finish(gdb, status);
    gdb_destroy(gdb);
    if (sim_timeline_close(m) != 0) {
        die("--trace-json", "cannot write the timeline");
        status = SIM_EXIT_ERROR;
    }
    if (why != SIM_STOP_HALT && !quiet)
        fprintf(stderr, "flashsim: %s (after %" PRIu64 " cycles)\n", sim_stop_message(m), sim_now(m));
    if (stats_path && sim_write_stats(m, stats_path, err, sizeof err) != 0) {
        die("stats", err);
        status = SIM_EXIT_ERROR;
    }
out:
    sim_destroy(m);
    if (trace)
        fclose(trace);
    return status;
}
