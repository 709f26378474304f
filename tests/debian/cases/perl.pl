# Perl (perl-base): hashes, regular expressions, formats, pack, closures, sorting,
# files, fork with a pipe. (Programs it runs: perl-processes.pl.)
use strict;
use warnings;

print "== data\n";
my %stock = (apple => 3, pear => 7, fig => 1, kiwi => 7);
for my $k (sort { $stock{$b} <=> $stock{$a} or $a cmp $b } keys %stock) {
    printf "%-6s %3d\n", $k, $stock{$k};
}
my @sq = map { $_ * $_ } grep { $_ % 2 } 1 .. 9;
print "@sq\n";
my $total = 0;
$total += $_ for @sq;
print "total $total, avg ", sprintf("%.4f", $total / @sq), "\n";
print unpack("H*", pack("NnC", 0xCAFEBABE, 513, 255)), "\n";
my ($a32, $b16) = unpack("Vv", "\x01\x02\x03\x04\x05\x06");
print "$a32 $b16\n";

print "== text\n";
my $log = "ts=10 op=read bytes=4096\nts=11 op=write bytes=512\nts=12 op=read bytes=100\n";
my %bytes;
while ($log =~ /op=(\w+) bytes=(\d+)/g) { $bytes{$1} += $2 }
print join(", ", map { "$_=$bytes{$_}" } sort keys %bytes), "\n";
(my $t = "Hello, World") =~ tr/a-zA-Z//cd;
print lc($t), " ", scalar reverse($t), " ", length($t), "\n";
my $s = "2026-11-24";
my ($y, $m, $d) = split /-/, $s;
print "day $d of month $m in $y\n";
(my $snake = "someCamelCaseName") =~ s/([A-Z])/_\l$1/g;
print "$snake\n";

print "== closures\n";
sub counter { my $n = shift; return sub { return $n++ } }
my $c = counter(5);
print join(" ", $c->(), $c->(), $c->()), "\n";
my @subs = map { my $i = $_; sub { $i * 10 } } 1 .. 3;
print join(" ", map { $_->() } @subs), "\n";

print "== processes\n";
my $pid = open(my $from_child, "-|") // die "fork: $!";
if ($pid == 0) {
    print "line from the child\n";
    exit 0;
}
print "parent read: ", scalar <$from_child>;
close $from_child;
print "child status $?\n";
my $kid = fork();
if ($kid == 0) { exit 6 }
waitpid($kid, 0);
print "waitpid status ", $? >> 8, "\n";

print "== files\n";
my $path = "/tmp/mvvm-perl-$$.txt";
open(my $out, ">", $path) or die "open: $!";
print $out "row $_\n" for 1 .. 4;
close $out;
open(my $in, "<", $path) or die "open: $!";
my @rows = <$in>;
close $in;
print scalar(@rows), " rows, last: $rows[-1]";
print -s $path, " bytes\n";
unlink $path or die "unlink: $!";
print -e $path ? "still there\n" : "removed\n";
