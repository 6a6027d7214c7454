# The AWS API endpoint's pure parts outside the server: test/api/api_test.c
# built from src/api/{sigv4,form,awsxml,awsjson,awsout,awscbor}.c against
# PostgreSQL's frontend libraries, its checks on recorded inputs, and the
# SigV4 verifier against requests signed by botocore's own signer (random
# keys, secrets, dates, regions, services, paths, headers and bodies, some
# tampered with or dated outside the 15 minutes).  No server.
use strict;
use warnings;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;
use File::Basename qw(dirname);
use Cwd qw(abs_path);

my $root = abs_path(dirname(__FILE__) . '/../..');
my $pgc = $ENV{PG_CONFIG} // 'pg_config';
my $cc = $ENV{CC} // 'cc';
my $tmp = PostgreSQL::Test::Utils::tempdir();

sub pgconfig
{
	my $v = `$pgc --$_[0]`;
	chomp $v;
	return $v;
}

# libpgcommon's hashes come from OpenSSL when the server was built with it
my @ssl = pgconfig('configure') =~ /--with-(openssl|ssl=openssl)/ ? ('-lcrypto') : ();
my @cmd = ($cc, '-O1', '-Wall', '-Werror', '-Wno-unused-parameter', '-DFRONTEND',
	'-I' . pgconfig('includedir-server'), '-I' . pgconfig('includedir'),
	"-I$root/src/api",
	map({ "$root/src/api/$_.c" } qw(sigv4 form awsxml awsjson awsout awscbor)),
	"$root/test/api/api_test.c",
	'-L' . pgconfig('libdir'), '-L' . pgconfig('pkglibdir'), '-lpgcommon', '-lpgport', @ssl, '-lm',
	'-o', "$tmp/api_test");
my ($out, $err) = ('', '');
ok(IPC::Run::run(\@cmd, '>', \$out, '2>', \$err), 'api_test builds from the pure files')
  or BAIL_OUT("cannot build api_test: $err");

# the built-in checks, one TAP line each
IPC::Run::run([ "$tmp/api_test", 'unit' ], '>', \$out, '2>', \$err);
my $n = 0;
foreach my $line (split /\n/, $out)
{
	next unless $line =~ /^(not ok|ok) \d+ - (.*)$/;
	ok($1 eq 'ok', $2);
	$n++;
}
cmp_ok($n, '>', 50, "the unit checks ran ($n)");

# botocore's signatures: Debian's (1.29), and another botocore on PATH
my @pythons = ('/usr/bin/python3');
my $other = `command -v python3 2>/dev/null`;
chomp $other;
push @pythons, $other if $other && $other ne '/usr/bin/python3';
my $signers = 0;
foreach my $py (@pythons)
{
	my $version = `$py -c 'import botocore; print(botocore.__version__)' 2>/dev/null`;
	chomp $version;
	next unless $version;
	$signers++;
	my $vectors = "$tmp/vectors-$signers";
	ok(IPC::Run::run([ $py, "$root/test/api/sigv4_vectors.py", 1000 + $signers, 600 ],
			'>', $vectors, '2>', \$err),
		"botocore $version signs 600 random requests");
	IPC::Run::run([ "$tmp/api_test", 'verify' ], '<', $vectors, '>', \$out, '2>', \$err);
	my ($line) = $out =~ /^((?:not )?ok \d+ - sigv4: .*)$/m;
	ok(defined $line && $line =~ /^ok/,
		"the C verifier agrees with botocore $version on every one")
	  or diag($out, $err);
}
if ($signers == 0)
{
  SKIP:
	{
		skip 'no python3 with botocore (python3-botocore): no signatures to check against', 2;
	}
}

done_testing();
