#!/usr/bin/perl
# Pair each measured slice with its baseline.
#
# Input (stdin), one slice a line, in the order they ran:
#   slice WORKLOAD SEQ VARIANT TPS TRANSACTIONS CPU_US
# (or "slice WORKLOAD SEQ VARIANT NA" when the run failed).
#
# Output, one line per slice of a variant other than "none":
#   pair WORKLOAD VARIANT TPS BASE_TPS CPU_PER_TXN BASE_CPU_PER_TXN
# where the base is the mean of the nearest "none" slices of the same
# workload before and after it (one of them at either end), so that a
# drift of the machine slower than a slice cancels.
use strict;
use warnings;

my %slices;
while (my $line = <STDIN>) {
	my @f = split ' ', $line;
	next unless @f >= 5 && $f[0] eq 'slice';
	my ($w, $seq, $v, $tps, $n, $cpu) = @f[ 1 .. 6 ];
	next if $tps eq 'NA' || !$n;
	push @{ $slices{$w} }, { seq => $seq, v => $v, tps => $tps, cpt => $cpu / $n };
}

for my $w (sort keys %slices) {
	my @s = sort { $a->{seq} <=> $b->{seq} } @{ $slices{$w} };
	for my $i (0 .. $#s) {
		next if $s[$i]{v} eq 'none';
		my @base;
		for (my $j = $i - 1; $j >= 0; $j--) {
			if ($s[$j]{v} eq 'none') { push @base, $s[$j]; last }
		}
		for (my $j = $i + 1; $j <= $#s; $j++) {
			if ($s[$j]{v} eq 'none') { push @base, $s[$j]; last }
		}
		next unless @base;
		my ($tps, $cpt) = (0, 0);
		for my $b (@base) { $tps += $b->{tps}; $cpt += $b->{cpt} }
		printf "pair %s %s %.6g %.6g %.6g %.6g\n", $w, $s[$i]{v}, $s[$i]{tps},
		  $tps / @base, $s[$i]{cpt}, $cpt / @base;
	}
}
