#!/usr/bin/perl
# Numbers on stdin, one or more per line; prints
#   median min max n ci_low ci_high
# where ci_low..ci_high is a 95% confidence interval of the median from the
# order statistics (distribution-free; min..max below 6 numbers).
# Prints nothing when there is no number.
use strict;
use warnings;
use POSIX qw(floor);

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
my ($lo, $hi) = ($x[0], $x[-1]);
if ($n >= 6) {
	# ranks k and n-k+1 (1-based) hold the median with about 95% confidence
	my $k = floor(($n - 1.96 * sqrt($n)) / 2);
	$k = 1 if $k < 1;
	($lo, $hi) = ($x[ $k - 1 ], $x[ $n - $k ]);
}
printf "%.6g %.6g %.6g %d %.6g %.6g\n", $median, $x[0], $x[-1], $n, $lo, $hi;
