/* rcrt1: start-up object for the `static-pie` build of the guest corpus.
 *
 * Debian 12's riscv64 cross toolchain (gcc 12, glibc 2.36) has no static-pie
 * support: there is no rcrt1.o, libc.a has no _dl_relocate_static_pie, and
 * gcc's riscv link spec ignores -static-pie. tests/guests.mk therefore links
 * `-static -pie --no-dynamic-linker` (an ET_DYN executable without
 * PT_INTERP, loaded anywhere) and puts this object first, found through -B.
 *
 * _start does what glibc's rcrt1.o + _dl_relocate_static_pie do: before any
 * relocated data is touched it applies the executable's own .rela.dyn
 * (R_RISCV_RELATIVE, R_RISCV_64 against local or absolute symbols, and the
 * TLS relocations TPREL64/DTPMOD64/DTPREL64 for the executable's own block), records the load bias in the
 * main link_map (used by TLS set-up, RELRO protection, dl_iterate_phdr and
 * _dl_find_object, so C++ unwinding works), then enters __libc_start_main
 * exactly like crt1.o. Compiled with -fPIE and hidden symbols only, so this
 * code itself needs no relocation. */
#include <elf.h>
#include <link.h>
#include <stdint.h>

extern const ElfW(Ehdr) __ehdr_start __attribute__((visibility("hidden")));
extern ElfW(Dyn) _DYNAMIC[] __attribute__((visibility("hidden")));
/* glibc (static): struct link_namespaces _dl_ns[]; its first member is the
 * pointer to the main program's link_map, whose first member is l_addr. */
extern uintptr_t _dl_ns[] __attribute__((visibility("hidden")));

/* crt1.o also provides these. */
const int _IO_stdin_used __attribute__((used)) = 0x20001;
int __data_start __attribute__((used)) = 0;
extern int data_start __attribute__((weak, alias("__data_start")));

__attribute__((visibility("hidden"), used)) void __mvvm_self_relocate(void)
{
    const uintptr_t base = (uintptr_t)&__ehdr_start;
    const ElfW(Rela) *rela = 0;
    const ElfW(Sym) *symtab = 0;
    uintptr_t relasz = 0;
    for (const ElfW(Dyn) *d = _DYNAMIC; d->d_tag != DT_NULL; d++) {
        if (d->d_tag == DT_RELA)
            rela = (const ElfW(Rela) *)(base + d->d_un.d_ptr);
        else if (d->d_tag == DT_RELASZ)
            relasz = d->d_un.d_val;
        else if (d->d_tag == DT_SYMTAB)
            symtab = (const ElfW(Sym) *)(base + d->d_un.d_ptr);
    }
    for (uintptr_t i = 0; rela && i < relasz / sizeof *rela; i++) {
        const ElfW(Rela) *r = &rela[i];
        uintptr_t *where = (uintptr_t *)(base + r->r_offset);
        const uint32_t type = ELF64_R_TYPE(r->r_info);
        const uint32_t symi = ELF64_R_SYM(r->r_info);
        const ElfW(Sym) *s = symi ? &symtab[symi] : 0;
        if (type == R_RISCV_NONE) {
            continue;
        } else if (type == R_RISCV_RELATIVE) {
            *where = base + r->r_addend;
        } else if (type == R_RISCV_64) {
            uintptr_t value = 0;
            if (s)
                value = s->st_value + (s->st_shndx == SHN_ABS ? 0 : base);
            *where = value + r->r_addend;
        } else if (type == R_RISCV_TLS_TPREL64) {
            /* RISC-V TLS variant I: the executable's block starts at tp. */
            *where = (s ? s->st_value : 0) + r->r_addend;
        } else if (type == R_RISCV_TLS_DTPMOD64) {
            *where = 1; /* the executable is TLS module 1 */
        } else if (type == R_RISCV_TLS_DTPREL64) {
            *where = (s ? s->st_value : 0) + r->r_addend;
        } else {
            __builtin_trap();
        }
    }
    ((struct link_map *)_dl_ns[0])->l_addr = base;
}

__asm__(".text\n"
        ".globl _start\n"
        ".type _start, @function\n"
        "_start:\n"
        ".cfi_startproc\n"
        ".cfi_undefined ra\n"
        ".option push\n"
        ".option norelax\n"
        "lla gp, __global_pointer$\n"
        ".option pop\n"
        "mv s1, a0\n"                 /* rtld_fini from the kernel (0) */
        "mv s2, sp\n"                 /* argc, argv, envp, auxv */
        "call __mvvm_self_relocate\n" /* sp is 16-byte aligned at entry */
        "mv a5, s1\n"
        "lla a0, main\n"
        "ld a1, 0(s2)\n"
        "addi a2, s2, 8\n"
        "andi sp, s2, -16\n"
        "li a3, 0\n"
        "li a4, 0\n"
        "mv a6, sp\n"
        "call __libc_start_main\n"
        "ebreak\n"
        ".cfi_endproc\n"
        ".size _start, . - _start\n");
