#!/usr/bin/perl
# Numbers on stdin, one or more per line; prints "median min max n".
# Prints nothing when there is no number.
use strict;
use warnings;

my @x;
while (my $line = <STDIN>) {
	for my $tok (split ' ', $line) {
		push @x, $tok + 0 if $tok =~ /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
	}
}
exit 0 unless @x;
@x = sort { $a <=> $b } @x;
my $n = @x;
my $median = $n % 2 ? $x[ ($n - 1) / 2 ] : ($x[ $n / 2 - 1 ] + $x[ $n / 2 ]) / 2;
printf "%.6g %.6g %.6g %d\n", $median, $x[0], $x[-1], $n;
