/* atomics: C11 <stdatomic.h> operations on 8, 16, 32 and 64-bit objects
 * (sub-word ones go through LR/SC loops or libatomic) - fetch_add/sub/or/
 * and/xor, exchange, compare_exchange_strong success and failure (expected
 * updated), compare_exchange_weak loops, atomic_flag, fences, and the GCC
 * __atomic/__sync builtins, all single-threaded. */
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

#define EXERCISE(T, FMT, name)                                                                                         \
    do {                                                                                                               \
        static _Atomic T a;                                                                                            \
        atomic_store(&a, (T)100);                                                                                      \
        T old1 = atomic_fetch_add(&a, (T)50);                                                                          \
        T old2 = atomic_fetch_sub(&a, (T)30);                                                                          \
        T old3 = atomic_fetch_or(&a, (T)0x0f);                                                                         \
        T old4 = atomic_fetch_and(&a, (T)0x3c);                                                                        \
        T old5 = atomic_fetch_xor(&a, (T)0xff);                                                                        \
        T old6 = atomic_exchange(&a, (T)7);                                                                            \
        printf("%-8s fetch_add old=" FMT " sub old=" FMT " or old=" FMT " and old=" FMT " xor old=" FMT                \
               " xchg old=" FMT " now=" FMT "\n",                                                                      \
               name, old1, old2, old3, old4, old5, old6, atomic_load(&a));                                             \
        T expected = 7;                                                                                                \
        _Bool ok1 = atomic_compare_exchange_strong(&a, &expected, (T)9);                                               \
        T e1 = expected;                                                                                               \
        expected = 7;                                                                                                  \
        _Bool ok2 = atomic_compare_exchange_strong(&a, &expected, (T)11);                                              \
        printf("%-8s cas(7->9)=%d expected=" FMT "; cas(7->11)=%d expected=" FMT " now=" FMT "\n", name, ok1, e1, ok2, \
               expected, atomic_load(&a));                                                                             \
        T cur = atomic_load(&a);                                                                                       \
        int spins = 0;                                                                                                 \
        for (int i = 0; i < 1000; i++) {                                                                               \
            cur = atomic_load(&a);                                                                                     \
            while (!atomic_compare_exchange_weak(&a, &cur, (T)(cur * 3 + 1)))                                          \
                spins++;                                                                                               \
        }                                                                                                              \
        printf("%-8s after 1000 weak-cas updates: " FMT " (spins bounded: %s)\n", name, atomic_load(&a),              \
               spins < 1000000 ? "yes" : "no");                                                                        \
        atomic_store(&a, (T)-1);                                                                                       \
        T wrapped = atomic_fetch_add(&a, (T)1);                                                                        \
        printf("%-8s wrap: old=" FMT " new=" FMT "\n", name, wrapped, atomic_load(&a));                                \
    } while (0)

int main(void)
{
    EXERCISE(uint8_t, "%u", "uint8");
    EXERCISE(int16_t, "%d", "int16");
    EXERCISE(uint32_t, "%u", "uint32");
    EXERCISE(int64_t, "%ld", "int64");
    EXERCISE(uint64_t, "%lu", "uint64");

    atomic_flag flag = ATOMIC_FLAG_INIT;
    int t1 = atomic_flag_test_and_set(&flag);
    int t2 = atomic_flag_test_and_set(&flag);
    atomic_flag_clear(&flag);
    int t3 = atomic_flag_test_and_set(&flag);
    printf("atomic_flag: %d %d %d\n", t1, t2, t3);

    atomic_thread_fence(memory_order_seq_cst);
    atomic_signal_fence(memory_order_acq_rel);

    _Atomic int relaxed = 0;
    for (int i = 0; i < 100000; i++)
        atomic_fetch_add_explicit(&relaxed, 3, memory_order_relaxed);
    printf("relaxed counter: %d\n", atomic_load_explicit(&relaxed, memory_order_acquire));

    long g = 5;
    long prev = __atomic_fetch_add(&g, 10, __ATOMIC_SEQ_CST);
    long now = __atomic_add_fetch(&g, 1, __ATOMIC_SEQ_CST);
    long exp = 16;
    int ok = __atomic_compare_exchange_n(&g, &exp, 100, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
    printf("__atomic: prev=%ld now=%ld cas=%d g=%ld\n", prev, now, ok, g);
    int s = 1;
    int sv = __sync_fetch_and_add(&s, 41);
    int sc = __sync_val_compare_and_swap(&s, 42, 43);
    int sb = __sync_bool_compare_and_swap(&s, 0, 1);
    __sync_synchronize();
    printf("__sync: fetch_and_add old=%d cas old=%d bool_cas=%d s=%d\n", sv, sc, sb, s);
    printf("lock free: char=%d short=%d int=%d long=%d llong=%d ptr=%d\n", ATOMIC_CHAR_LOCK_FREE,
           ATOMIC_SHORT_LOCK_FREE, ATOMIC_INT_LOCK_FREE, ATOMIC_LONG_LOCK_FREE, ATOMIC_LLONG_LOCK_FREE,
           ATOMIC_POINTER_LOCK_FREE);
    return 0;
}
