# The examples of the documentation (README.md, docs/*.md), read and run
# as a reader would follow them.  test/t/040_docs.pl says how pages and
# their markers are written; this module parses a page into its examples,
# runs a page on a server of its own, and compares what each example
# printed with what the page shows.  It must not know the extension: what
# to run and what to expect is all in the pages.
package DocTest;

use strict;
use warnings;
use Encode qw(decode);
use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Time::HiRes qw(usleep);

# The visible mask: in an output block it stands for any text on its line,
# and alone on a line for any number of lines.
our $MASK = "\x{2026}";

# Languages of the examples, and what each needs besides its code.
my %input_lang = (sql => 1, sh => 1, ini => 1);

# Parse a page (its text, decoded) into blocks.  Returns a hash: name,
# examples (each: lang, code, line, markers {name => argument}, output
# (text or undef), output_line), and errors (strings naming the line) for
# a page whose structure the harness cannot trust.
sub parse_page
{
	my ($name, $text) = @_;
	my @lines = split /\n/, $text, -1;
	my (@examples, @errors, @markers);
	my $last_input;		# the example an output block right after it belongs to
	my $i = 0;
	while ($i < @lines)
	{
		my $line = $lines[$i];

		# an HTML comment: a marker when it starts with "doc:"
		if ($line =~ /^\s*<!--(.*)$/)
		{
			my $start = $i + 1;
			my $body = $1;
			while ($body !~ /-->/ && ++$i < @lines)
			{
				$body .= "\n" . $lines[$i];
			}
			$body =~ s/-->.*\z//s;
			if ($body =~ /^\s*doc:\s*(\S+)\s*(.*?)\s*\z/s)
			{
				my ($marker, $arg) = ($1, $2);
				if ($marker !~ /^(conf|skip|run|background|wait|needs)$/)
				{
					push @errors, "$name:$start: unknown marker \"$marker\"";
				}
				elsif ($marker eq 'skip' && $arg eq '')
				{
					push @errors, "$name:$start: a skip marker must say why";
				}
				elsif ($marker eq 'wait' && $arg eq '')
				{
					push @errors, "$name:$start: a wait marker needs a query";
				}
				elsif ($marker eq 'needs' && $arg eq '')
				{
					push @errors, "$name:$start: a needs marker needs a command";
				}
				push @markers, { name => $marker, arg => $arg, line => $start };
			}
			$i++;
			next;
		}

		# a fenced block, possibly indented (in a list item)
		if ($line =~ /^(\s*)```\s*([\w-]*)\s*$/)
		{
			my ($indent, $lang) = (length($1), $2);
			my $start = $i + 1;
			my @body;
			$i++;
			while ($i < @lines && $lines[$i] !~ /^\s*```\s*$/)
			{
				my $l = $lines[$i];
				$l =~ s/^ {1,$indent}// if $indent > 0;
				push @body, $l;
				$i++;
			}
			push @errors, "$name:$start: a code block is not closed" if $i >= @lines;
			$i++;
			my $code = join("\n", @body);
			my %m = map { $_->{name} => $_->{arg} } @markers;
			my @waits = map { $_->{arg} } grep { $_->{name} eq 'wait' } @markers;
			@markers = ();

			if ($lang eq '')
			{
				if ($last_input && !defined $last_input->{output})
				{
					$last_input->{output} = $code;
					$last_input->{output_line} = $start;
				}
				elsif (!exists $m{skip})
				{
					push @errors, "$name:$start: an output block that follows no example";
				}
				$last_input = undef;
				next;
			}
			my $ex = {
				lang => $lang, code => $code, line => $start,
				markers => \%m, waits => \@waits, output => undef,
			};
			push @examples, $ex;
			$last_input = $ex;
			push @errors, "$name:$start: a block in \"$lang\" is not an example (sql, sh, ini): mark it skip, saying why"
			  unless $input_lang{$lang} || exists $m{skip};
			next;
		}

		# an output block starts on the line after its example's fence
		$last_input = undef;
		if (@markers && $line =~ /\S/)
		{
			push @errors, "$name:$markers[0]{line}: a marker that no code block follows";
			@markers = ();
		}
		$i++;
	}
	push @errors, "$name: a marker at the end of the page" if @markers;

	# what each example must have
	foreach my $ex (@examples)
	{
		my $m = $ex->{markers};
		my $where = "$name:$ex->{line}";
		next if exists $m->{skip};
		if ($ex->{lang} eq 'ini')
		{
			push @errors, "$where: a configuration block must be marked conf or skip"
			  unless exists $m->{conf};
			push @errors, "$where: a configuration block shows no output"
			  if defined $ex->{output};
		}
		elsif ($ex->{lang} eq 'sql')
		{
			push @errors, "$where: this SQL example has no output block: show what psql prints, or mark it skip, saying why"
			  unless defined $ex->{output};
		}
		elsif ($ex->{lang} eq 'sh')
		{
			if (exists $m->{run} || exists $m->{background})
			{
				push @errors, "$where: a shell example marked run or background shows no output"
				  if defined $ex->{output};
			}
			else
			{
				push @errors, "$where: this shell example has no output block: show what it prints, or mark it run, background or skip"
				  unless defined $ex->{output};
			}
		}
		push @errors, "$where: conf marks a configuration block only"
		  if exists $m->{conf} && $ex->{lang} ne 'ini';
		push @errors, "$where: needs marks an example that runs, not a configuration block"
		  if exists $m->{needs} && $ex->{lang} eq 'ini';
		push @errors, "$where: run and background mark shell examples only"
		  if (exists $m->{run} || exists $m->{background}) && $ex->{lang} ne 'sh';
	}
	return { name => $name, examples => \@examples, errors => \@errors };
}

# The configuration lines of a page's conf blocks, and whether one comes
# after an example that runs (the server is configured before it starts).
sub conf_lines
{
	my ($page) = @_;
	my (@conf, $late);
	my $ran = 0;
	foreach my $ex (@{ $page->{examples} })
	{
		next if exists $ex->{markers}{skip};
		if ($ex->{lang} eq 'ini')
		{
			push @conf, $ex->{code};
			$late = $ex->{line} if $ran && !defined $late;
		}
		else
		{
			$ran = 1;
		}
	}
	return (join("\n", @conf) . "\n", $late);
}

# Examples of a page that the harness runs.
sub runnable
{
	my ($page) = @_;
	return grep { !exists $_->{markers}{skip} && $_->{lang} ne 'ini' } @{ $page->{examples} };
}

# Normalize one side for comparison: trailing blanks off each line, blank
# lines off both ends.
sub tidy
{
	my ($text) = @_;
	my @l = map { s/\s+$//r } split /\n/, $text, -1;
	shift @l while @l && $l[0] eq '';
	pop @l while @l && $l[-1] eq '';
	return join("\n", @l);
}

# Does the actual output match the page's?  Without a mask the text must
# be the same.  With one, each mask stands for any text on its line (a line
# holding only the mask, for any lines), and runs of blanks and of dashes
# count as one on both sides: a masked value of another width widens its
# column and its rule in psql's tables.
sub matches
{
	my ($expected, $got) = @_;
	$expected = tidy($expected);
	$got = tidy($got);
	return $expected eq $got if index($expected, $MASK) < 0;
	my $squeeze = sub { my $s = shift; $s =~ s/ +/ /g; $s =~ s/-{2,}/-/g; return $s; };
	my $re = '';
	foreach my $line (split /\n/, $expected, -1)
	{
		if ($line =~ /^\s*\Q$MASK\E\s*$/)
		{
			$re .= '(?:[^\n]*\n)*?';
			next;
		}
		my @parts = map { quotemeta($squeeze->($_)) } split /\Q$MASK\E/, $line, -1;
		# a mask ending a line may stand for nothing, and the blank before
		# it is then trimmed with the line's trailing blanks
		$parts[-2] =~ s/\\ $/(?:\\ )?/ if @parts > 1 && $parts[-1] =~ /^(\\ )*$/;
		$re .= join('[^\n]*?', @parts) . '\n';
	}
	my $text = join("\n", map { $squeeze->($_) } split /\n/, $got, -1) . "\n";
	return $text =~ /\A$re\z/ ? 1 : 0;
}

# -- a psql session, as a reader types into one

sub session_start
{
	my ($node) = @_;
	my $s = { in => '', out => '', n => 0 };
	$s->{timer} = IPC::Run::timeout($PostgreSQL::Test::Utils::timeout_default);
	# one stream, as a terminal shows it: results, notices and errors in order
	$s->{h} = IPC::Run::start(
		[ 'sh', '-c', 'exec "$0" "$@" 2>&1', 'psql', '-X', '-P', 'columns=80',
		  '-d', $node->connstr('postgres') ],
		'<', \$s->{in}, '>', \$s->{out}, $s->{timer});
	return $s;
}

# Send text to the session and return what it printed, or die on timeout.
sub session_send
{
	my ($s, $code) = @_;
	my $banner = '__DOC_END_' . ++$s->{n} . '__';
	$s->{in} .= $code . "\n\\echo $banner\n";
	$s->{timer}->start($PostgreSQL::Test::Utils::timeout_default);
	while ($s->{out} !~ /^\Q$banner\E$/m)
	{
		$s->{h}->pump;
	}
	$s->{out} =~ s/\A(.*?)^\Q$banner\E\n//ms;
	return decode('UTF-8', $1);
}

# Wait until a query, run in the session, returns true; its output is not
# the page's.  Returns '' or why it did not.
sub session_wait
{
	my ($s, $query) = @_;
	my $last = '';
	# four times a second: the polls' own CPU stays out of an idle
	# server's figures
	foreach (1 .. 4 * $PostgreSQL::Test::Utils::timeout_default)
	{
		$last = session_send($s,
			"\\set __doc_ok f\nSELECT ($query) AS __doc_ok \\gset\n\\echo __DOC_OK__ :__doc_ok");
		return '' if $last =~ /^__DOC_OK__ t$/m;
		usleep(250_000);
	}
	return "not true within $PostgreSQL::Test::Utils::timeout_default s: $query\n$last";
}

sub session_end
{
	my ($s) = @_;
	$s->{in} .= "\\q\n";
	$s->{timer}->start($PostgreSQL::Test::Utils::timeout_default);
	$s->{h}->kill_kill unless eval { $s->{h}->finish; 1 };
	return;
}

# -- a page on a server of its own

# Run the examples of a page, in order, on a new server configured with
# $opts{conf} (lines) and the page's own conf blocks.  With
# $opts{create_extension}, the extension is created before the page's
# session starts.  Returns results: { what, ok, diag }, or { what, skip,
# skipped } when a needs marker's command failed: skip says why, skipped
# counts the examples not run (that one and the rest of the page).
sub run_page
{
	my ($page, %opts) = @_;
	my @results;
	my ($conf, $late) = conf_lines($page);
	if (defined $late)
	{
		return ({ what => "$page->{name}:$late: configuration", ok => 0,
			diag => "a conf block after an example: the server is configured before it starts; change settings within the page with ALTER SYSTEM" });
	}
	(my $nodename = "docs_$page->{name}") =~ s/\W/_/g;
	my $node = PostgreSQL::Test::Cluster->new($nodename);
	# a UTF-8 server, as Debian's clusters are
	$node->init(extra => [ '--encoding=UTF8', '--locale=C.UTF-8' ]);
	$node->append_conf('postgresql.conf', ($opts{conf} // '') . $conf);
	$node->start;
	$node->safe_psql('postgres', 'CREATE EXTENSION aurora_serverless')
	  if $opts{create_extension};

	my $cwd = $node->basedir . '/cwd';
	mkdir $cwd;
	local $ENV{PGHOST} = $node->host;
	local $ENV{PGPORT} = $node->port;
	local $ENV{PGDATABASE} = 'postgres';
	local $ENV{PGDATA} = $node->data_dir;
	my @background;
	my $s = session_start($node);
	my @examples = runnable($page);

	while (my $ex = shift @examples)
	{
		my $what = "$page->{name}:$ex->{line}";
		if (exists $ex->{markers}{needs})
		{
			my $cmd = $ex->{markers}{needs};
			my $said = '';
			my $there = eval {
				IPC::Run::run([ 'bash', '-c', $cmd ], '<', \undef, '>', \$said, '2>&1',
					init => sub { chdir $cwd or die },
					IPC::Run::timeout($PostgreSQL::Test::Utils::timeout_default));
			};
			if (!$there)
			{
				$said = tidy(decode('UTF-8', $said));
				push @results, {
					what => $what,
					skip => "needs `$cmd`, which failed here" . ($said eq '' ? '' : " ($said)")
					  . ': this example and the ' . scalar(@examples) . ' after it are not run',
					skipped => 1 + scalar(@examples),
				};
				last;
			}
		}
		my $waited = '';
		foreach my $q (@{ $ex->{waits} })
		{
			$waited = eval { session_wait($s, $q) } // "the session ended: $@";
			last if $waited ne '';
		}
		if ($waited ne '')
		{
			push @results, { what => "$what: waited for", ok => 0, diag => $waited };
			last;
		}
		my ($got, $ok, $why) = ('', 1, '');
		if ($ex->{lang} eq 'sql')
		{
			$got = eval { session_send($s, $ex->{code}) };
			if (!defined $got)
			{
				push @results, { what => "$what: runs", ok => 0,
					diag => "the session did not answer: $@\n" . decode('UTF-8', $s->{out}) };
				last;
			}
		}
		elsif (exists $ex->{markers}{background})
		{
			my $out = '';
			my $h = IPC::Run::start([ 'bash', '-c', $ex->{code} ],
				'>', \$out, '2>&1', init => sub { chdir $cwd or die });
			push @background, { h => $h, out => \$out, what => $what };
			push @results, { what => "$what: starts in the background", ok => 1 };
			next;
		}
		else
		{
			my $ran = IPC::Run::run([ 'bash', '-c', $ex->{code} ],
				'>', \$got, '2>&1', init => sub { chdir $cwd or die },
				IPC::Run::timeout(10 * $PostgreSQL::Test::Utils::timeout_default));
			$got = decode('UTF-8', $got);
			if (exists $ex->{markers}{run})
			{
				push @results, { what => "$what: runs", ok => $ran ? 1 : 0,
					diag => "exit status $?; it printed:\n$got" };
				next;
			}
		}
		$ok = matches($ex->{output}, $got);
		push @results, {
			what => "$what: prints what the page shows",
			ok => $ok ? 1 : 0,
			diag => "the page, line $ex->{output_line}, shows:\n" . tidy($ex->{output})
			  . "\nit printed:\n" . tidy($got),
		};
	}
	session_end($s);
	# a background example ends by itself, within the default timeout
	foreach my $bg (@background)
	{
		foreach (1 .. 10 * $PostgreSQL::Test::Utils::timeout_default)
		{
			last unless $bg->{h}->pumpable;
			$bg->{h}->pump_nb;
			usleep(100_000);
		}
		my $ended = !$bg->{h}->pumpable;
		$bg->{h}->kill_kill unless $ended;
		my $ok = $ended && eval { $bg->{h}->finish } ? 1 : 0;
		push @results, { what => "$bg->{what}: the background example ends well",
			ok => $ok, diag => ($ended ? '' : "still running: killed\n") . ${ $bg->{out} } };
	}
	$node->stop;
	return @results;
}

1;
