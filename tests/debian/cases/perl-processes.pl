# Perl running riscv64 programs: backticks and system through /bin/sh (dash) into
# coreutils, system of perl itself, a pipe opened to a child, exec in a fork.
use strict;
use warnings;

my $sorted = `printf 'c\\na\\nb\\n' | sort | tr '\\n' ' '`;
print "backticks: $sorted\n";
system($^X, "-e", "exit 4");
print "system status ", $? >> 8, "\n";
open(my $to_child, "|-", "/usr/bin/tr", "a-z", "A-Z") // die "open: $!";
print $to_child "written to tr\n";
close $to_child;
print "tr status $?\n";
my $pid = fork();
if ($pid == 0) { exec("/usr/bin/sh", "-c", "exit 12") or die "exec: $!" }
waitpid($pid, 0);
print "exec'd child status ", $? >> 8, "\n";
my @lines = `seq 5 | tac`;
chomp @lines;
print "lines: @lines\n";
