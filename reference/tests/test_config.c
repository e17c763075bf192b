/*
 * test_config.c - the `disco` configuration file (config.h): defaults,
 * every key, sizes, and error messages that name the file and line.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <criterion/criterion.h>

#include "disco/config.h"

static struct disco_config cfg;
static char err[512];

/* A VM section that passes every check, for texts that test something else. */
#define GOOD_VM "[vm a]\nkernel = k.elf\nmemory = 1M\n"

static void parse_ok(const char *text)
{
    err[0] = 0;
    int rc = config_parse_string(text, "t.conf", &cfg, err, sizeof err);
    cr_assert_eq(rc, 0, "config rejected: %s\n--- text ---\n%s", err, text);
}

/* The text must be refused with a message that starts with @p where
 * ("t.conf:LINE:") and contains @p what. */
static void parse_err(const char *text, const char *where, const char *what)
{
    err[0] = 0;
    int rc = config_parse_string(text, "t.conf", &cfg, err, sizeof err);
    cr_assert_eq(rc, -1, "config accepted, expected an error '%s'\n--- text ---\n%s", what, text);
    cr_assert(strncmp(err, where, strlen(where)) == 0, "message '%s' does not start with '%s'", err,
              where);
    cr_assert(strstr(err, what) != NULL, "message '%s' does not mention '%s'", err, what);
}

/* ---- defaults ------------------------------------------------------------- */

Test(config, defaults_are_the_machines_and_the_monitors)
{
    config_default(&cfg);
    cr_assert_eq(cfg.machine.nodes, 8);
    cr_assert_eq(cfg.machine.mem_per_node, 32u << 20);
    cr_assert_eq(cfg.machine.cache_size, 1u << 20);
    cr_assert_eq(cfg.machine.lat_local, 90u);
    cr_assert_eq(cfg.machine.lat_remote, 270u);
    cr_assert_eq(cfg.machine.hot_threshold, 64u);
    cr_assert_eq(cfg.machine.max_cycles, 0u);
    cr_assert_eq(cfg.machine.console_in_fd, -1, "VMs never read the host's stdin");
    cr_assert_eq(cfg.monitor.quantum, 3000000u);
    cr_assert(cfg.monitor.halpage);
    cr_assert(cfg.monitor.prefix);
    cr_assert_eq(cfg.nvms, 0);
}

Test(config, a_vm_section_gets_the_vm_defaults)
{
    parse_ok(GOOD_VM);
    cr_assert_eq(cfg.nvms, 1);
    const struct vm_config *vm = &cfg.vm[0];
    cr_assert_str_eq(vm->name, "a");
    cr_assert_eq(vm->cpus, 1);
    cr_assert_eq(vm->memory, 1u << 20);
    cr_assert_str_eq(vm->kernel, "k.elf");
    cr_assert_eq(vm->ndisks, 0);
    cr_assert_str_eq(vm->args, "");
    cr_assert_str_eq(vm->console, "");
    cr_assert_eq(vm->node, -1, "no node: vCPUs are spread");
    cr_assert_eq(vm->timeout, 0u);
    cr_assert_eq(vm->line, 1);
    /* Nothing else changed. */
    cr_assert_eq(cfg.machine.nodes, 8);
    cr_assert_eq(cfg.monitor.quantum, 3000000u);
}

Test(config, the_example_in_config_h_parses)
{
    parse_ok("[machine]             ; the FLASH machine (flashsim's settings)\n"
             "nodes = 8\n"
             "mem_per_node = 32M\n"
             "cache_size = 1M       ; also cache_assoc, cache_line, cache = on|off\n"
             "lat_local = 90\n"
             "lat_remote = 270\n"
             "hot_threshold = 64\n"
             "seed = 1\n"
             "max_cycles = 0        ; 0: no limit\n"
             "\n"
             "[monitor]\n"
             "quantum = 3000000     ; cycles a vCPU runs before others get its CPU\n"
             "halpage = on          ; map the HAL privileged-register page\n"
             "\n"
             "[vm alpha]            ; one section per VM: \"vm NAME\"\n"
             "cpus = 1\n"
             "memory = 16M\n"
             "kernel = build/guests/unix/kernel-disco.elf\n"
             "disk = build/images/alpha.img   ; repeat for disk 1, 2, ...\n"
             "args = -s /etc/rc.alpha         ; boot arguments (a string the kernel may read)\n"
             "console = alpha.log             ; optional: copy of the VM's console output\n"
             "node = 0                        ; optional: home node of vCPU 0 (others follow)\n"
             "timeout = 0                     ; optional: stop the VM if still running after this many cycles\n");
    cr_assert_eq(cfg.nvms, 1);
    cr_assert_str_eq(cfg.vm[0].name, "alpha");
    cr_assert_str_eq(cfg.vm[0].disk[0], "build/images/alpha.img", "inline comment stripped");
    cr_assert_str_eq(cfg.vm[0].args, "-s /etc/rc.alpha");
    cr_assert_eq(cfg.vm[0].line, 15);
}

/* ---- every key -------------------------------------------------------------- */

Test(config, every_machine_key_is_read)
{
    parse_ok("[machine]\n"
             "nodes = 4\n"
             "mem_per_node = 8M\n"
             "cache = off\n"
             "cache_size = 256K\n"
             "cache_assoc = 4\n"
             "cache_line = 64\n"
             "lat_local = 11\n"
             "lat_remote = 33\n"
             "hot_threshold = 7\n"
             "quantum = 500\n"
             "seed = 42\n"
             "max_cycles = 123456\n" GOOD_VM);
    const struct sim_config *m = &cfg.machine;
    cr_assert_eq(m->nodes, 4);
    cr_assert_eq(m->mem_per_node, 8u << 20);
    cr_assert_eq(m->cache_enabled, false);
    cr_assert_eq(m->cache_size, 256u << 10);
    cr_assert_eq(m->cache_assoc, 4u);
    cr_assert_eq(m->cache_line, 64u);
    cr_assert_eq(m->lat_local, 11u);
    cr_assert_eq(m->lat_remote, 33u);
    cr_assert_eq(m->hot_threshold, 7u);
    cr_assert_eq(m->quantum, 500u);
    cr_assert_eq(m->seed, 42u);
    cr_assert_eq(m->max_cycles, 123456u);
}

Test(config, cache_takes_on_and_off_words)
{
    parse_ok("[machine]\ncache = no\n" GOOD_VM);
    cr_assert_eq(cfg.machine.cache_enabled, false);
    parse_ok("[machine]\ncache = yes\n" GOOD_VM);
    cr_assert_eq(cfg.machine.cache_enabled, true);
    parse_ok("[machine]\ncache = 0\n" GOOD_VM);
    cr_assert_eq(cfg.machine.cache_enabled, false);
    parse_ok("[machine]\ncache = true\n" GOOD_VM);
    cr_assert_eq(cfg.machine.cache_enabled, true);
}

Test(config, every_monitor_key_is_read)
{
    parse_ok("[monitor]\nquantum = 5000\nhalpage = off\nprefix = no\n" GOOD_VM);
    cr_assert_eq(cfg.monitor.quantum, 5000u);
    cr_assert_eq(cfg.monitor.halpage, false);
    cr_assert_eq(cfg.monitor.prefix, false);
}

Test(config, every_vm_key_is_read)
{
    parse_ok("[machine]\nnodes = 4\n"
             "[vm beta]\n"
             "cpus = 4\n"
             "memory = 2M\n"
             "kernel = /path/kernel.elf\n"
             "disk = one.img\n"
             "args = -s /etc/rc.beta\n"
             "console = beta.log\n"
             "node = 3\n"
             "timeout = 5M\n");
    const struct vm_config *vm = &cfg.vm[0];
    cr_assert_str_eq(vm->name, "beta");
    cr_assert_eq(vm->cpus, 4);
    cr_assert_eq(vm->memory, 2u << 20);
    cr_assert_str_eq(vm->kernel, "/path/kernel.elf");
    cr_assert_eq(vm->ndisks, 1);
    cr_assert_str_eq(vm->disk[0], "one.img");
    cr_assert_str_eq(vm->args, "-s /etc/rc.beta");
    cr_assert_str_eq(vm->console, "beta.log");
    cr_assert_eq(vm->node, 3);
    cr_assert_eq(vm->timeout, 5u << 20);
    cr_assert_eq(vm->line, 3);
}

Test(config, sizes_take_k_m_and_g)
{
    parse_ok("[machine]\nmem_per_node = 256K\ncache_size = 512K\nmax_cycles = 2G\n"
             "[vm a]\nkernel = k\nmemory = 1024K\ntimeout = 1G\n");
    cr_assert_eq(cfg.machine.mem_per_node, 256u << 10);
    cr_assert_eq(cfg.machine.cache_size, 512u << 10);
    cr_assert_eq(cfg.machine.max_cycles, 2ull << 30);
    cr_assert_eq(cfg.vm[0].memory, 1u << 20);
    cr_assert_eq(cfg.vm[0].timeout, 1ull << 30);
}

Test(config, repeated_disk_keys_become_disks_0_to_3)
{
    parse_ok("[vm a]\nkernel = k\nmemory = 1M\n"
             "disk = d0.img\ndisk = d1.img\ndisk = d2.img\ndisk = d3.img\n");
    cr_assert_eq(cfg.vm[0].ndisks, 4);
    cr_assert_str_eq(cfg.vm[0].disk[0], "d0.img");
    cr_assert_str_eq(cfg.vm[0].disk[1], "d1.img");
    cr_assert_str_eq(cfg.vm[0].disk[2], "d2.img");
    cr_assert_str_eq(cfg.vm[0].disk[3], "d3.img");
}

Test(config, several_vms_keep_their_order_and_lines)
{
    parse_ok("[vm a]\nkernel = ka\nmemory = 1M\n"
             "\n"
             "[vm b]\nkernel = kb\nmemory = 2M\ncpus = 2\n");
    cr_assert_eq(cfg.nvms, 2);
    cr_assert_str_eq(cfg.vm[0].name, "a");
    cr_assert_str_eq(cfg.vm[1].name, "b");
    cr_assert_eq(cfg.vm[0].line, 1);
    cr_assert_eq(cfg.vm[1].line, 5);
    cr_assert_eq(cfg.vm[1].cpus, 2);
    cr_assert_str_eq(cfg.vm[1].kernel, "kb");
}

Test(config, sixteen_vms_are_allowed)
{
    char text[4096] = "";
    for (int i = 0; i < DISCO_MAX_VMS; i++) {
        char s[96];
        snprintf(s, sizeof s, "[vm v%d]\nkernel = k\nmemory = 1M\n", i);
        strcat(text, s);
    }
    parse_ok(text);
    cr_assert_eq(cfg.nvms, DISCO_MAX_VMS);
    cr_assert_str_eq(cfg.vm[15].name, "v15");
    cr_assert_eq(cfg.vm[15].line, 46);
}

/* ---- errors that name the line ------------------------------------------- */

Test(config, unknown_machine_key_names_its_line)
{
    parse_err("[machine]\nnodes = 2\nnodez = 2\n" GOOD_VM, "t.conf:3:", "nodez");
}

Test(config, unknown_monitor_key_names_its_line)
{
    parse_err("[monitor]\nquantumm = 5000\n" GOOD_VM, "t.conf:2:", "quantumm");
}

Test(config, unknown_vm_key_names_its_line)
{
    parse_err("[vm a]\nkernel = k\nmemory = 1M\nmemroy = 2M\n", "t.conf:4:", "memroy");
}

Test(config, unknown_section_names_its_line)
{
    parse_err(GOOD_VM "[network]\nsubnet = 10.0.0.0\n", "t.conf:5:", "network");
}

Test(config, bad_machine_values_name_their_line)
{
    parse_err("[machine]\nnodes = lots\n" GOOD_VM, "t.conf:2:", "nodes");
    parse_err("[machine]\nnodes = 0\n" GOOD_VM, "t.conf:2:", "nodes");
    parse_err("[machine]\nnodes = 33\n" GOOD_VM, "t.conf:2:", "nodes");
    parse_err("[machine]\n\nmem_per_node = 4Q\n" GOOD_VM, "t.conf:3:", "mem_per_node");
    parse_err("[machine]\ncache = maybe\n" GOOD_VM, "t.conf:2:", "cache");
    parse_err("[machine]\ncache_assoc = 17\n" GOOD_VM, "t.conf:2:", "cache_assoc");
    parse_err("[machine]\nlat_local = -1\n" GOOD_VM, "t.conf:2:", "lat_local");
    parse_err("[machine]\nseed = 12x\n" GOOD_VM, "t.conf:2:", "seed");
    parse_err("[machine]\nmax_cycles = \n" GOOD_VM, "t.conf:2:", "max_cycles");
}

Test(config, bad_monitor_values_name_their_line)
{
    parse_err("[monitor]\nquantum = 999\n" GOOD_VM, "t.conf:2:", "quantum");
    parse_err("[monitor]\nhalpage = sometimes\n" GOOD_VM, "t.conf:2:", "halpage");
    parse_err("[monitor]\nprefix = 2\n" GOOD_VM, "t.conf:2:", "prefix");
}

Test(config, bad_vm_values_name_their_line)
{
    parse_err("[vm a]\nkernel = k\nmemory = 1M\ncpus = 0\n", "t.conf:4:", "cpus");
    parse_err("[vm a]\nkernel = k\nmemory = 1M\ncpus = 33\n", "t.conf:4:", "cpus");
    parse_err("[vm a]\nkernel = k\nmemory = 1G\n", "t.conf:3:", "memory");
    parse_err("[vm a]\nkernel = k\nmemory = 1M\nnode = 32\n", "t.conf:4:", "node");
    parse_err("[vm a]\nkernel = k\nmemory = 1M\ntimeout = soon\n", "t.conf:4:", "timeout");
}

Test(config, vm_section_without_a_name_is_an_error)
{
    parse_err("[vm]\nkernel = k\nmemory = 1M\n", "t.conf:2:", "[vm NAME]");
}

Test(config, vm_name_with_a_space_is_an_error)
{
    parse_err("[vm a b]\nkernel = k\nmemory = 1M\n", "t.conf:2:", "NAME");
}

Test(config, vm_without_kernel_names_the_sections_line)
{
    parse_err("[machine]\nnodes = 2\n\n[vm a]\nmemory = 1M\n", "t.conf:4:", "kernel");
    cr_assert(strstr(err, "[vm a]") != NULL, "message names the VM: %s", err);
}

Test(config, vm_without_memory_names_the_sections_line)
{
    parse_err(GOOD_VM "[vm b]\ncpus = 2\nkernel = k\n", "t.conf:4:", "memory");
    cr_assert(strstr(err, "[vm b]") != NULL, "message names the VM: %s", err);
}

Test(config, vm_memory_under_1m_or_not_whole_pages_is_refused)
{
    parse_err("[vm a]\nkernel = k\nmemory = 512K\n", "t.conf:1:", "memory");
    parse_err("[vm a]\nkernel = k\nmemory = 1049000\n", "t.conf:1:", "memory");
}

Test(config, vm_node_beyond_the_machine_is_refused)
{
    parse_err("[machine]\nnodes = 2\n[vm a]\nkernel = k\nmemory = 1M\nnode = 2\n", "t.conf:3:",
              "node");
}

Test(config, seventeenth_vm_is_an_error_naming_its_line)
{
    char text[4096] = "";
    for (int i = 0; i <= DISCO_MAX_VMS; i++) {
        char s[96];
        snprintf(s, sizeof s, "[vm v%d]\nkernel = k\nmemory = 1M\n", i);
        strcat(text, s);
    }
    /* The 17th section starts at line 49; its first key is line 50. */
    parse_err(text, "t.conf:50:", "too many VMs");
}

Test(config, fifth_disk_is_an_error_naming_its_line)
{
    parse_err("[vm a]\nkernel = k\nmemory = 1M\n"
              "disk = 0\ndisk = 1\ndisk = 2\ndisk = 3\ndisk = 4\n",
              "t.conf:8:", "disks");
}

Test(config, a_line_without_equals_is_a_syntax_error)
{
    parse_err(GOOD_VM "what is this\n", "t.conf:4:", "");
}

Test(config, at_least_one_vm_is_required)
{
    err[0] = 0;
    int rc = config_parse_string("[machine]\nnodes = 2\n", "t.conf", &cfg, err, sizeof err);
    cr_assert_eq(rc, -1);
    cr_assert(strstr(err, "t.conf") && strstr(err, "[vm NAME]"), "message: %s", err);
    rc = config_parse_string("", "empty.conf", &cfg, err, sizeof err);
    cr_assert_eq(rc, -1, "an empty file has no VM");
}

/*
 * An empty [vm NAME] section is a VM without a kernel or memory: it must
 * be reported at its own line, not silently dropped (and it must not shift
 * the lines given for the sections after it).
 */
Test(config, empty_vm_section_is_reported_at_its_line)
{
    parse_err(GOOD_VM "[vm b]\n[vm c]\nkernel = k\nmemory = 1M\n", "t.conf:4:", "[vm b]");
}

Test(config, later_vm_lines_survive_an_empty_section)
{
    /* Whatever is said about b, c's problem is at c's line (5). */
    err[0] = 0;
    int rc = config_parse_string(GOOD_VM "[vm b]\n[vm c]\nmemory = 1M\n", "t.conf", &cfg, err,
                                 sizeof err);
    cr_assert_eq(rc, -1);
    if (strstr(err, "[vm c]"))
        cr_assert(strncmp(err, "t.conf:5:", 9) == 0, "c's problem given at another line: %s", err);
}

/* The header promises "Any error names the file, the line and the
 * problem": a machine setting the machine refuses is a bad value too. */
Test(config, machine_value_the_machine_refuses_names_its_line)
{
    parse_err("[machine]\nnodes = 2\nmem_per_node = 3M\n" GOOD_VM, "t.conf:3:", "power of two");
}

/* ---- config_read ---------------------------------------------------------------- */

Test(config, config_read_reads_a_file_and_names_it_in_errors)
{
    char path[] = "/tmp/disco-config-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    const char *text = "[vm a]\nkernel = k\nmemory = 1M\nbogus = 1\n";
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    int rc = config_read(path, &cfg, err, sizeof err);
    char want[64];
    snprintf(want, sizeof want, "%s:4:", path);
    unlink(path);
    cr_assert_eq(rc, -1);
    cr_assert(strncmp(err, want, strlen(want)) == 0, "message '%s' does not start with '%s'", err,
              want);
}

Test(config, config_read_of_a_missing_file_names_it)
{
    int rc = config_read("/nonexistent/dir/vms.conf", &cfg, err, sizeof err);
    cr_assert_eq(rc, -1);
    cr_assert(strstr(err, "/nonexistent/dir/vms.conf") != NULL, "message: %s", err);
}

Test(config, config_read_accepts_a_good_file)
{
    char path[] = "/tmp/disco-config-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    const char *text = "[machine]\nnodes = 2\n[vm a]\nkernel = k\nmemory = 4M\n";
    cr_assert_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    int rc = config_read(path, &cfg, err, sizeof err);
    unlink(path);
    cr_assert_eq(rc, 0, "%s", err);
    cr_assert_eq(cfg.machine.nodes, 2);
    cr_assert_eq(cfg.vm[0].memory, 4u << 20);
}

/*
 * vm_config holds paths of up to 255 bytes, but inih's default line
 * buffer is 200 bytes: a longer line must not be cut in two (the rest
 * read as a line of its own, reported at the wrong line as a syntax error
 * or, worse, taken as another key).
 */
Test(config, a_long_path_is_read_whole_or_refused_at_its_line)
{
    char path[232], text[512];
    memset(path, 'p', sizeof path - 1);
    path[0] = '/';
    path[sizeof path - 1] = 0;
    snprintf(text, sizeof text, "[vm a]\nkernel = %s\nmemory = 1M\n", path);
    err[0] = 0;
    int rc = config_parse_string(text, "t.conf", &cfg, err, sizeof err);
    if (rc == 0)
        cr_assert_str_eq(cfg.vm[0].kernel, path, "the kernel path was cut");
    else
        cr_assert(strncmp(err, "t.conf:2:", 9) == 0,
                  "a 240-byte line 2 reported as '%s' (the file has 3 lines)", err);
}

Test(config, lines_up_to_the_limit_are_read_whole)
{
    char path[199], text[512];
    memset(path, 'q', sizeof path - 1);
    path[sizeof path - 1] = 0;
    /* "kernel = " + path: as long as a line may be. */
    size_t room = 198 - strlen("kernel = ");
    path[room] = 0;
    snprintf(text, sizeof text, "[vm a]\nkernel = %s\nmemory = 1M\n", path);
    parse_ok(text);
    cr_assert_str_eq(cfg.vm[0].kernel, path);
}

Test(config, an_overlong_line_in_the_middle_is_named)
{
    char text[1024] = "[machine]\nnodes = 2\n; ";
    size_t n = strlen(text);
    memset(text + n, '-', 300);
    strcpy(text + n + 300, "\n" GOOD_VM);
    parse_err(text, "t.conf:3:", "long");
}

/* As an empty [vm NAME]: an empty "[vm]" is a VM the user meant to
 * describe, and must be reported at its line, not ignored. */
Test(config, an_empty_vm_section_without_a_name_is_reported)
{
    parse_err(GOOD_VM "[vm]\n", "t.conf:4:", "[vm NAME]");
}

/* ---- refused at once, with FILE:LINE (issue 7) ------------------------------------- */

/* Write @p len bytes of @p text to a fresh file and read it as a config. */
static int read_bytes(const char *text, size_t len, char *path, size_t pathlen)
{
    snprintf(path, pathlen, "/tmp/disco-config-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    cr_assert_eq(write(fd, text, len), (ssize_t)len);
    close(fd);
    int rc = config_read(path, &cfg, err, sizeof err);
    unlink(path);
    return rc;
}

static void assert_err_starts(const char *path, int line, const char *what)
{
    char want[300];
    snprintf(want, sizeof want, "%s:%d: ", path, line);
    cr_assert(strncmp(err, want, strlen(want)) == 0, "message '%s' does not start with '%s'", err, want);
    cr_assert(strstr(err, what), "message '%s' does not say '%s'", err, what);
}

Test(config, a_second_section_for_the_same_vm_is_refused_at_its_line)
{
    parse_err("[vm a]\nkernel = k\nmemory = 1M\n[vm b]\nkernel = k\nmemory = 1M\n[vm a]\ncpus = 2\n",
              "t.conf:7:", "a second [vm a] section (the first is at line 1)");
}

Test(config, a_nul_byte_is_refused_at_its_line)
{
    static const char text[] = "[vm a]\nkernel = k\nmem\0ory = 1M\n";
    char path[64];
    cr_assert_eq(read_bytes(text, sizeof text - 1, path, sizeof path), -1);
    assert_err_starts(path, 3, "a NUL byte");
}

Test(config, a_directory_is_not_a_configuration)
{
    cr_assert_eq(config_read("/tmp", &cfg, err, sizeof err), -1);
    cr_assert(strncmp(err, "/tmp:1: not a regular file (a directory)", 40) == 0, "message: %s", err);
}

Test(config, dev_zero_is_refused_at_once_not_read)
{
    cr_assert_eq(config_read("/dev/zero", &cfg, err, sizeof err), -1);
    cr_assert(strstr(err, "/dev/zero:1: not a regular file"), "message: %s", err);
}

Test(config, two_vms_naming_one_persistent_disk_are_refused)
{
    parse_err("[vm a]\nkernel = k\nmemory = 1M\ndisk = shared.img\n"
              "[vm b]\nkernel = k\nmemory = 1M\ndisk = other.img\ndisk = shared.img\n",
              "t.conf:9:", "disk shared.img is already disk 0 of VM a (line 4)");
}

Test(config, a_disk_line_may_end_in_its_mode)
{
    parse_ok("[vm a]\nkernel = k\nmemory = 1M\n"
             "disk = root.img cow\ndisk = data.img persistent\ndisk = plain.img\n");
    cr_assert_str_eq(cfg.vm[0].disk[0], "root.img");
    cr_assert(cfg.vm[0].disk_cow[0]);
    cr_assert_str_eq(cfg.vm[0].disk[1], "data.img");
    cr_assert(!cfg.vm[0].disk_cow[1]);
    cr_assert_str_eq(cfg.vm[0].disk[2], "plain.img");
    cr_assert(!cfg.vm[0].disk_cow[2], "persistent by default");
}

Test(config, vms_may_share_a_disk_they_all_name_cow)
{
    parse_ok("[vm a]\nkernel = k\nmemory = 1M\ndisk = root.img cow\n"
             "[vm b]\nkernel = k\nmemory = 1M\ndisk = root.img cow\n"
             "[vm c]\nkernel = k\nmemory = 1M\ndisk = root.img cow\n");
    cr_assert_eq(cfg.nvms, 3);
}

Test(config, a_disk_persistent_in_one_vm_and_cow_in_another_is_refused)
{
    parse_err("[vm a]\nkernel = k\nmemory = 1M\ndisk = root.img\n"
              "[vm b]\nkernel = k\nmemory = 1M\ndisk = root.img cow\n",
              "t.conf:8:", "a persistent disk belongs to one VM");
}

Test(config, one_image_as_two_disks_of_one_vm_is_refused)
{
    parse_err("[vm a]\nkernel = k\nmemory = 1M\ndisk = d.img\ndisk = d.img\n", "t.conf:5:",
              "a persistent disk belongs to one VM");
}

Test(config, the_same_image_by_two_names_is_the_same_disk)
{
    char path[] = "/tmp/disco-disk-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    close(fd);
    char text[400];
    snprintf(text, sizeof text, "[vm a]\nkernel = k\nmemory = 1M\ndisk = %s\n"
             "[vm b]\nkernel = k\nmemory = 1M\ndisk = /tmp/..%s\n", path, path);
    int rc = config_parse_string(text, "t.conf", &cfg, err, sizeof err);
    unlink(path);
    cr_assert_eq(rc, -1, "accepted");
    cr_assert(strstr(err, "t.conf:8:"), "message: %s", err);
}

Test(config, a_vm_larger_than_the_machine_is_refused)
{
    parse_err("[machine]\nnodes = 2\nmem_per_node = 1M\n[vm big]\nkernel = k\nmemory = 4M\n",
              "t.conf:4:", "but the machine has 2048 KB");
}

Test(config, vms_that_together_exceed_the_machine_are_refused_at_the_first_that_does_not_fit)
{
    parse_err("[machine]\nnodes = 2\nmem_per_node = 2M\n"
              "[vm a]\nkernel = k\nmemory = 2M\n[vm b]\nkernel = k\nmemory = 2M\n",
              "t.conf:7:", "the VMs need 4104 KB");
}

Test(config, vms_that_fit_exactly_with_the_monitors_pages_are_accepted)
{
    /* 4 MB of machine (1024 pages): twice 511 pages and a HAL page. */
    parse_ok("[machine]\nnodes = 2\nmem_per_node = 2M\n"
             "[vm a]\nkernel = k\nmemory = 2044K\n[vm b]\nkernel = k\nmemory = 2044K\n");
}

Test(config, the_monitor_counts_a_page_per_vcpu)
{
    parse_err("[machine]\nnodes = 2\nmem_per_node = 2M\n"
              "[vm a]\nkernel = k\nmemory = 2044K\n[vm b]\nkernel = k\nmemory = 2044K\ncpus = 2\n",
              "t.conf:7:", "4 KB page per vCPU");
}

Test(config, check_turns_the_invariant_checks_on)
{
    parse_ok("[monitor]\ncheck = on\n" GOOD_VM);
    cr_assert(cfg.monitor.check);
    parse_ok(GOOD_VM);
    cr_assert(!cfg.monitor.check, "off by default");
}

/* ---- the virtual network ------------------------------------------------------ */

Test(config, net_and_subnet_give_a_vm_an_interface)
{
    parse_ok("[vm a]\nkernel = k.elf\nmemory = 1M\nnet = 7\n[vm b]\nkernel = k.elf\nmemory = 1M\nnet = 7\nsubnet = lab-2\n"
             "[vm c]\nkernel = k.elf\nmemory = 1M\n");
    cr_assert_eq(cfg.vm[0].net, 7u);
    cr_assert_str_eq(config_subnet(&cfg.vm[0]), "lan", "the default subnet");
    cr_assert_str_eq(config_subnet(&cfg.vm[1]), "lab-2", "the same address on another subnet is fine");
    cr_assert_eq(cfg.vm[2].net, 0u, "no net: no interface");
}

Test(config, two_vms_with_one_address_on_one_subnet_are_refused)
{
    parse_err("[vm a]\nkernel = k.elf\nmemory = 1M\nnet = 3\n[vm b]\nkernel = k.elf\nmemory = 1M\nsubnet = lan\nnet = 3\n", "t.conf:9:",
              "net address 3 is VM a's already (line 4)");
}

Test(config, a_net_address_must_be_1_to_254_and_a_subnet_one_word)
{
    parse_err("[vm a]\nkernel = k.elf\nmemory = 1M\nnet = 0\n", "t.conf:4:", "net");
    parse_err("[vm a]\nkernel = k.elf\nmemory = 1M\nnet = 255\n", "t.conf:4:", "net");
    parse_err("[vm a]\nkernel = k.elf\nmemory = 1M\nnet = 1\nsubnet = two words\n", "t.conf:5:", "subnet");
}

Test(config, a_subnet_without_an_address_is_refused)
{
    parse_err("[vm a]\nkernel = k.elf\nmemory = 1M\nsubnet = lan\n", "t.conf:1:", "without a net address");
}
