# busybox sh: pipes, redirections, subshells, command substitution, here-documents,
# background jobs and wait, traps, functions, arithmetic, applets as commands.
set -u
dir=$(mktemp -d)
cd "$dir"

echo "== pipes"
printf 'pear\napple\nfig\napple\n' | sort | uniq -c | sed 's/^ *//'
seq 1 100 | awk '{ s += $1 } END { print "sum", s }'
echo "a b c" | tr ' ' '\n' | wc -l

echo "== redirections"
echo first > out.txt
echo second >> out.txt
cat < out.txt
cat no-such-file 2> err.txt || echo "cat failed: $?"
grep -c 'no-such-file' err.txt
exec 3> fd3.txt
echo "through fd 3" >&3
exec 3>&-
cat fd3.txt
{ echo to-stderr >&2; } 2>&1 | tr a-z A-Z

echo "== subshells and substitution"
x=outer
( x=inner; echo "in subshell: $x" )
echo "after subshell: $x"
n=$(printf '%s\n' one two three | wc -l)
echo "lines: $n"
echo "nested: $(echo "$(echo deep)")"
(cd /; pwd)
pwd | grep -q "$dir" && echo "cwd kept"

echo "== here-document"
cat <<END | sort -r
line $x 1
line 2
END

echo "== jobs"
(until [ -e go ]; do sleep 0.01; done; echo slow) &
slow=$!
(echo fast) &
fast=$!
wait $fast
echo "fast status $?"
touch go
wait $slow
echo "slow status $?"
(exit 7) &
wait $!
echo "exit status $?"
for i in 1 2 3; do (echo "job $i" > job$i.txt) & done
wait
cat job1.txt job2.txt job3.txt

echo "== functions and arithmetic"
fact() { if [ "$1" -le 1 ]; then echo 1; else echo $(( $1 * $(fact $(( $1 - 1 ))) )); fi; }
echo "10! = $(fact 10)"
i=0; while [ $i -lt 5 ]; do i=$((i + 1)); done; echo "i=$i"
case "hello.tar.gz" in *.tar.gz) echo tarball;; *) echo other;; esac

echo "== traps"
trap 'echo "got USR1"' USR1
kill -USR1 $$
trap 'echo "exit trap"' EXIT
sh -c 'exit 3'; echo "child sh: $?"
echo "pipeline status: $(false | true; echo $?)"
cd /; rm -r "$dir"
