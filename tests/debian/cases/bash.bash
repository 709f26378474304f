# bash: pipes into coreutils, PIPESTATUS and pipefail, process substitution,
# here-strings, arrays, background jobs with wait -n, read loops, traps, coprocesses.
set -u
dir=$(mktemp -d)
cd "$dir"

echo "== pipes"
printf '%s\n' delta alpha charlie bravo | sort | head -3 | tr '\n' ' '; echo
seq 10 | paste -sd+
seq 10 | awk '{ s += $1 } END { print s }'
false | true | (exit 3); echo "PIPESTATUS ${PIPESTATUS[*]}"
set -o pipefail; false | true; echo "pipefail $?"; set +o pipefail
yes hello | head -n 3 | nl -ba

echo "== redirections"
{ echo out; echo err >&2; } > both.txt 2>&1
sort both.txt | tr '\n' ','; echo
wc -c < both.txt
cat <<< "here-string $((1 << 4))"
diff <(printf 'a\nb\n') <(printf 'a\nc\n') | tail -2
exec {fd}> fd.txt; echo "dynamic fd" >&$fd; exec {fd}>&-; cat fd.txt

echo "== substitution and subshells"
names=( $(printf '%s\n' c a b | sort) )
echo "${#names[@]} names: ${names[*]}"
declare -A color=([apple]=red [banana]=yellow)
for k in $(printf '%s\n' "${!color[@]}" | sort); do echo "$k=${color[$k]}"; done
s="Hello, World"; echo "${s,,} ${s^^} ${s/World/bash} ${#s} ${s:7:5}"
printf -v padded '%05d' 42; echo "$padded"
outer=$BASHPID; inner=$(echo $BASHPID); [ "$outer" != "$inner" ] && echo "subshell has its own pid"
echo {1..5} {a..c}

echo "== jobs"
# The first job waits for a file that is made only after wait -n returned, so
# the order does not depend on how fast anything runs.
(until [ -e go ]; do sleep 0.01; done; exit 2) & s1=$!
(sleep 0.1; exit 4) & s2=$!
wait -n; echo "first done: $?"
touch go; wait $s1; echo "waiting job done: $?"
for i in 1 2 3 4; do (echo "$((i * i))" > sq$i) & done; wait
cat sq1 sq2 sq3 sq4 | paste -sd' '
coproc UPPER { tr a-z A-Z; }
echo "via coproc" >&"${UPPER[1]}"; exec {UPPER[1]}>&-
read -r line <&"${UPPER[0]}"; echo "$line"; wait "$UPPER_PID"

echo "== read loops"
total=0
while read -r word count; do total=$((total + count)); done < <(printf 'x 1\ny 2\nz 39\n')
echo "total $total"
mapfile -t lines < <(seq 3 -1 1); echo "mapfile ${lines[*]}"
IFS=: read -r a b c <<< "1:2:3"; echo "$c$b$a"

echo "== traps and status"
trap 'echo "caught TERM"' TERM; kill -TERM $$
f() { return 42; }; f; echo "function status $?"
bash_child=$("$BASH" -c 'echo "child $0 $1"' zero one 2>&1)
echo "$bash_child" | sed 's/^child .*one$/child ok/'
trap 'echo "exit trap"; cd /; rm -r "$dir"' EXIT
(trap 'echo "subshell exit trap"' EXIT; exit 5); echo "subshell status $?"
