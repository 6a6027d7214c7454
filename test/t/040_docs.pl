# The documentation's examples are run, and what they print is compared
# with what the pages show (README.md and docs/*.md).
#
# A page is followed as a reader follows it: on a server of its own,
# configured with the page's conf blocks (docs/ pages also with the
# README's, and the extension created, where the README leaves a reader),
# every example in order, the SQL ones in one psql session (80 columns,
# no psqlrc), the shell ones with PGHOST, PGPORT, PGDATABASE and PGDATA
# naming that server.  The pages show the role postgres, Debian's: the
# suite runs as that operating system user, as test/run does.
#
# Blocks: ```sql and ```sh are examples, ```ini is configuration; a bare
# ``` opening on the line after an example's closing fence is what it
# prints.  Markers are HTML comments on the lines before a block
# (invisible once rendered):
#   <!-- doc: conf -->         this ini block goes into postgresql.conf
#                              before the server starts (so before the
#                              page's first example; later, ALTER SYSTEM)
#   <!-- doc: wait QUERY -->   before the block, run QUERY in the session
#                              until it returns true (its output is not
#                              shown); a live example waits for its
#                              condition, never for a time
#   <!-- doc: run -->          a shell example that must succeed; what it
#                              prints is not shown
#   <!-- doc: background -->   a shell example started alongside the next
#                              ones (a pgbench burst); it must end well
#   <!-- doc: skip REASON -->  not run, and why (it needs root, another
#                              machine, or a package the test lacks)
#   <!-- doc: needs COMMAND --> before the block, run COMMAND (bash, in the
#                              page's directory); when it fails (a client
#                              the page drives is not installed here),
#                              this example and the rest of the page are
#                              not run, and the suite reports them skipped
#                              with COMMAND and what it printed
# In an output block, the visible mask … stands for what must vary (times,
# pids, ports, durations, and the numbers of a live burst): any text on
# its line, or alone on a line any number of lines; where a mask is, runs
# of blanks and dashes count as one, since psql widens a column to its
# widest value.  Trailing blanks and blank lines at either end are ignored.
#
# A page fails when an SQL example shows no output, a shell example shows
# none and is not marked, an output block follows no example, a block is
# in another language unmarked, or a marker is unknown; the suite fails
# when it compares no example at all.  AS_DOCS_PAGES="README.md
# docs/pause.md" runs only those pages.
#
# Pages run one at a time, each server stopped before the next starts, so
# a page may give a service of its own a fixed TCP port (docs/aws-api.md's
# endpoint listens on 127.0.0.1:4591, below the range of the test
# clusters' ports); two runs of this suite at once on one machine would
# meet there.
use strict;
use warnings;
use utf8;
use FindBin;
use lib $FindBin::RealBin;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Encode qw(decode encode);
use DocTest;

# Test::More prints bytes: the pages' text is encoded for it
sub u { return encode('UTF-8', shift); }

sub read_page
{
	my ($path) = @_;
	open(my $fh, '<', $path) or die "$path: $!";
	local $/;
	my $text = decode('UTF-8', <$fh>);
	close $fh;
	return DocTest::parse_page($path, $text);
}

# -- the harness itself: what it must refuse, and how it compares

my $bad = DocTest::parse_page('bad.md', join("\n",
	'```sql', 'SELECT 1;', '```', '',
	'```sh', 'ls', '```', '',
	'```', 'orphan', '```', '',
	'```json', '{}', '```', '',
	'<!-- doc: sometimes -->', '```sql', 'SELECT 2;', '```', '```', '2', '```', '',
	'```sql', 'SELECT 3;', '```', '', '```', '3', '```', '',
	'<!-- doc: needs -->', '```sql', 'SELECT 4;', '```', '```', '4', '```', ''));
my $errors = join("\n", @{ $bad->{errors} });
like($errors, qr/bad\.md:1: this SQL example has no output block/,
	'the harness refuses an SQL example without its output');
like($errors, qr/bad\.md:5: this shell example has no output block/,
	'and a shell example that shows no output and is not marked');
like($errors, qr/bad\.md:9: an output block that follows no example/,
	'and an output block that follows no example');
like($errors, qr/bad\.md:13: a block in "json" is not an example/,
	'and a block in another language, unmarked');
like($errors, qr/bad\.md:17: unknown marker "sometimes"/, 'and an unknown marker');
ok($errors =~ /bad\.md:25: this SQL example has no output block/
	  && $errors =~ /bad\.md:29: an output block that follows no example/,
	'an output block belongs to the example right above it, with no line between');
like($errors, qr/bad\.md:33: a needs marker needs a command/, 'and a needs marker without its command');
my $none = DocTest::parse_page('none.md', "# Nothing to run\n\nText only.\n");
is(scalar(DocTest::runnable($none)), 0, 'a page of text has no example to run');

my $table = " state  | acu \n--------+-----\n active | 0.5\n(1 row)\n";
ok(DocTest::matches($table, "$table\n"), 'the same output matches');
ok(!DocTest::matches($table, $table =~ s/0\.5/1/r), 'another value does not');
ok(DocTest::matches(" state  | acu \n--------+-----\n active | …\n(1 row)",
	" state  | acu  \n--------+------\n active | 12.5\n(1 row)"),
	'a mask matches a value of another width');
ok(!DocTest::matches(" state  | acu \n--------+-----\n active | …\n(1 row)",
	" state  | acu \n--------+-----\n paused | 0\n(1 row)"),
	'but not a change elsewhere on its line');
ok(DocTest::matches("paused_since | …\nstate | paused", "paused_since |\nstate | paused"),
	'a mask ending a line stands for an empty value too');
ok(DocTest::matches("a\n…\nz", "a\nb\nc\nz") && DocTest::matches("a\n…\nz", "a\nz"),
	'a masked line stands for any number of lines');

# -- the pages

my $readme = read_page('README.md');
# AS_DOCS_PAGES names the pages to run (all of them by default)
my %only = map { $_ => 1 } split ' ', ($ENV{AS_DOCS_PAGES} // '');
my @pages = grep { !%only || $only{ $_->{name} } }
  ($readme, map { read_page($_) } sort glob('docs/*.md'));
my ($readme_conf) = DocTest::conf_lines($readme);
my ($compared, $ran, $skipped) = (0, 0, 0);

foreach my $page (@pages)
{
	ok(!@{ $page->{errors} }, "$page->{name}: every block is an example with what it needs, or says why not")
	  or diag(u(join("\n", @{ $page->{errors} })));
	foreach my $ex (@{ $page->{examples} })
	{
		next unless exists $ex->{markers}{skip};
		$skipped++;
		note(u("$page->{name}:$ex->{line}: not run: $ex->{markers}{skip}"));
	}
	next if @{ $page->{errors} } || !DocTest::runnable($page);
	my @results = $page == $readme
	  ? DocTest::run_page($page)
	  : DocTest::run_page($page, conf => $readme_conf, create_extension => 1);
	foreach my $r (@results)
	{
		if (defined $r->{skip})
		{
		  SKIP: { skip(u("$r->{what}: $r->{skip}"), 1); }
			$skipped += $r->{skipped};
			next;
		}
		ok($r->{ok}, u($r->{what})) or diag(u($r->{diag}));
		$ran++;
		$compared++ if $r->{what} =~ /prints what the page shows$/;
	}
}
cmp_ok($compared, '>', 0, "examples compared with their pages: $compared ($ran run, $skipped not run)");

# -- a page whose output no longer matches fails

my $stale = DocTest::parse_page('stale.md', join("\n",
	'<!-- doc: wait SELECT true -->', '```sql', 'SELECT aurora_serverless.max_connections_for(16);', '```',
	'```', ' max_connections_for ', '---------------------', '                1999', '(1 row)', '```', ''));
my @stale = DocTest::run_page($stale, conf => $readme_conf, create_extension => 1);
is(join(',', map { $_->{ok} } @stale), '0', 'an output that differs from its page fails');
like($stale[0]{diag}, qr/1999.*it printed:.*3360/s, 'and the failure shows both');

# -- a page whose client is missing skips from there, saying why

my $needs = DocTest::parse_page('needs.md', join("\n",
	'```sql', 'SELECT 1 AS one;', '```', '```', ' one ', '-----', '   1', '(1 row)', '```', '',
	'<!-- doc: needs test -x /nonexistent/bin/aws -->', '```sh', '/nonexistent/bin/aws --version', '```',
	'```', 'aws-cli/2.9.19', '```', '',
	'```sql', 'SELECT 2;', '```', '```', '2', '```', ''));
my @needs = DocTest::run_page($needs);
ok(@needs == 2 && $needs[0]{ok}, 'a page runs up to a needs marker whose command fails');
like($needs[1]{skip} // '', qr{^needs `test -x /nonexistent/bin/aws`, which failed here: this example and the 1 after it are not run$},
	'and from there on is skipped, naming the command');
is($needs[1]{skipped}, 2, 'counting the examples not run');

done_testing();
