# bash job control (set -m): background jobs stopped by SIGSTOP and SIGTSTP,
# listed, continued with kill -CONT and bg, killed; wait's statuses. Compared
# with qemu-riscv64 (whose children are the host's sleep: the same job states).
set -m
sleep 5 &
kill -STOP %1
sleep 0.2
jobs
kill -CONT %1
sleep 0.1
jobs
sleep 6 &
kill -TSTP %2
sleep 0.2
jobs %2
bg %2
sleep 0.1
jobs
kill %1 %2
wait %1; echo "job 1: $?"
wait %2; echo "job 2: $?"
jobs
(exit 3) &
wait $!; echo "subshell job: $?"
