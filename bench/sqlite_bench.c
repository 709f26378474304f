/* SQLite workload for `make bench`: usage `sqlite_bench N`. An in-memory database:
 * N rows inserted through a prepared statement in one transaction, an index built,
 * then aggregate, join, ORDER BY, LIKE and UPDATE statements. Prints one checksum
 * of every value the queries returned (integers only, so no engine's printf of a
 * double can make the outputs differ). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "sqlite3.h"

static sqlite3 *db;
static uint64_t sum;

static void check(int rc, const char *what) {
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
        fprintf(stderr, "sqlite_bench: %s: %s\n", what, sqlite3_errmsg(db));
        exit(1);
    }
}

static void exec(const char *sql) { check(sqlite3_exec(db, sql, NULL, NULL, NULL), sql); }

/* Runs a query and folds every column of every row into the checksum. */
static void query(const char *sql) {
    sqlite3_stmt *st;
    check(sqlite3_prepare_v2(db, sql, -1, &st, NULL), sql);
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        for (int c = 0; c < sqlite3_column_count(st); c++) {
            if (sqlite3_column_type(st, c) == SQLITE_TEXT) {
                for (const unsigned char *s = sqlite3_column_text(st, c); *s; s++) sum = sum * 31 + *s;
            } else {
                sum = sum * 31 + (uint64_t)sqlite3_column_int64(st, c);
            }
        }
    }
    check(rc, sql);
    sqlite3_finalize(st);
}

int main(int argc, char **argv) {
    int n = argc > 1 ? atoi(argv[1]) : 10000;
    check(sqlite3_open(":memory:", &db), "open");
    exec("CREATE TABLE dept(id INTEGER PRIMARY KEY, name TEXT)");
    exec("CREATE TABLE emp(id INTEGER PRIMARY KEY, dept INTEGER, name TEXT, salary INTEGER, hired INTEGER)");
    exec("BEGIN");
    sqlite3_stmt *ins;
    check(sqlite3_prepare_v2(db, "INSERT INTO dept VALUES(?, ?)", -1, &ins, NULL), "prepare dept");
    char name[64];
    for (int i = 0; i < 100; i++) {
        snprintf(name, sizeof name, "dept-%03d", i * 37 % 100);
        sqlite3_bind_int(ins, 1, i);
        sqlite3_bind_text(ins, 2, name, -1, SQLITE_TRANSIENT);
        check(sqlite3_step(ins), "insert dept");
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    check(sqlite3_prepare_v2(db, "INSERT INTO emp VALUES(?, ?, ?, ?, ?)", -1, &ins, NULL), "prepare emp");
    uint32_t x = 12345; /* a fixed LCG, so every engine inserts the same rows */
    for (int i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        snprintf(name, sizeof name, "person%u-%c%c", x % 100000, 'a' + (x >> 8) % 26, 'a' + (x >> 16) % 26);
        sqlite3_bind_int(ins, 1, i);
        sqlite3_bind_int(ins, 2, (x >> 4) % 100);
        sqlite3_bind_text(ins, 3, name, -1, SQLITE_TRANSIENT);
        sqlite3_bind_int(ins, 4, 20000 + (x >> 12) % 80000);
        sqlite3_bind_int(ins, 5, 1990 + (x >> 20) % 35);
        check(sqlite3_step(ins), "insert emp");
        sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    exec("COMMIT");
    exec("CREATE INDEX emp_dept ON emp(dept, salary)");
    exec("CREATE INDEX emp_name ON emp(name)");
    query("SELECT dept, count(*), sum(salary), min(hired), max(hired) FROM emp GROUP BY dept");
    query("SELECT d.name, count(*), avg(e.salary) / 1 FROM emp e JOIN dept d ON d.id = e.dept "
          "WHERE e.hired BETWEEN 2000 AND 2010 GROUP BY d.name ORDER BY 3 DESC, 1");
    query("SELECT name, salary FROM emp ORDER BY salary DESC, name LIMIT 200");
    query("SELECT count(*), sum(length(name)) FROM emp WHERE name LIKE '%-a%'");
    query("SELECT hired, count(DISTINCT dept) FROM emp GROUP BY hired ORDER BY hired");
    exec("UPDATE emp SET salary = salary + 1000 WHERE dept IN (SELECT id FROM dept WHERE name < 'dept-050')");
    query("SELECT e.dept, max(e.salary) FROM emp e WHERE e.salary > (SELECT avg(salary) FROM emp WHERE dept = e.dept) "
          "AND e.dept < 20 GROUP BY e.dept");
    query("SELECT substr(name, 1, 8), count(*) FROM emp GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 50");
    exec("DELETE FROM emp WHERE id % 3 = 0");
    query("SELECT count(*), sum(salary) FROM emp");
    sqlite3_close(db);
    printf("sqlite %d -> %llu\n", n, (unsigned long long)sum);
    return 0;
}
