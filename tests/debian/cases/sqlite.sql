-- sqlite3: a database file (journal, transactions, an index), joins, aggregates,
-- window functions, recursive CTEs, JSON, dot-commands.
.bail on
.headers on
.mode list
create table dept(id integer primary key, name text not null);
create table emp(id integer primary key, name text, dept integer references dept(id), salary real, hired text);
create index emp_dept on emp(dept);
begin;
insert into dept(name) values ('compilers'), ('emulators'), ('kernels');
insert into emp(name, dept, salary, hired) values
  ('ada', 1, 120.5, '2019-03-01'), ('bob', 2, 99.0, '2021-07-15'),
  ('cy', 2, 101.25, '2020-01-10'), ('dee', 3, 130.0, '2018-11-30'),
  ('eve', 1, 88.0, '2023-05-05'), ('fay', 2, 115.75, '2022-09-09');
commit;
begin;
delete from emp;
rollback;
select count(*) as employees from emp;
select d.name, count(*) as n, round(avg(e.salary), 2) as avg, max(e.salary) as top
  from emp e join dept d on d.id = e.dept group by d.id order by avg desc;
select name, salary, rank() over (order by salary desc) as r,
       sum(salary) over (partition by dept order by hired) as running
  from emp order by r;
with recursive fib(i, a, b) as (select 1, 0, 1 union all select i + 1, b, a + b from fib where i < 20)
  select group_concat(a, ' ') as fib from fib;
with recursive cnt(x) as (select 1 union all select x + 1 from cnt where x < 100000)
  select sum(x), count(*), printf('%.3f', avg(x * 1.0)) from cnt;
select json_object('dept', d.name, 'staff', json_group_array(e.name)) as doc
  from dept d join emp e on e.dept = d.id group by d.id order by d.id;
select json_extract('{"a":{"b":[10,20,30]}}', '$.a.b[1]') as j, length(randomblob(16)) as blob,
       upper('mvvm'), substr('riscv64', 6), instr('wasm32', '32'), typeof(1.5), 7 / 2, 7 % 3;
select date('2024-02-28', '+2 days'), strftime('%j', '2026-11-24'), julianday('2000-01-01');
.mode column
select name, hired from emp where hired > '2021-01-01' order by hired;
.mode csv
select * from dept;
pragma integrity_check;
explain query plan select * from emp where dept = 2;
