# Every version of the extension that can be installed can be updated to
# the default version, and the result is the same, object by object, as a
# fresh install of the default version.  Generic over versions: the
# versions come from pg_available_extension_versions, so a new version and
# its update script are covered without editing this file.
#
# The same is judged three ways: pg_dump --schema-only --binary-upgrade,
# which writes out every member object of an extension one by one (OIDs and
# transaction ids taken out); the catalog rows of pg_depend, pg_init_privs,
# pg_shdepend and pg_description for the database's own objects, named by
# pg_describe_object; and the extension's row and the contents of its
# tables.
use strict;
use warnings;
use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $ext = 'aurora_serverless';

my $node = PostgreSQL::Test::Cluster->new('update_paths');
$node->init;
$node->append_conf('postgresql.conf', "shared_preload_libraries = '$ext'\n");
$node->start;

sub query { return $node->safe_psql('postgres', shift); }

my $default = query("SELECT default_version FROM pg_available_extensions WHERE name = '$ext'");
my @versions = split /\n/, query(qq{
	SELECT version FROM pg_available_extension_versions
	 WHERE name = '$ext' ORDER BY string_to_array(version, '.')::int[]});
ok((grep { $_ eq '1.0' } @versions), "the first release, 1.0, can still be installed");
ok((grep { $_ eq $default } @versions), "the default version $default can be installed");

# every version an update script starts from or leads to can be installed:
# no install script of an old version was taken away
my $pg_config = $ENV{PG_CONFIG} || "pg_config";
my $extdir = `$pg_config --sharedir`;
chomp $extdir;
$extdir .= '/extension';
opendir(my $dh, $extdir) or die "opendir $extdir: $!";
my %named;
foreach my $f (readdir $dh)
{
	next unless $f =~ /^\Q$ext\E--([^-]+)--([^-]+)\.sql$/;
	$named{$1} = 1;
	$named{$2} = 1;
}
closedir $dh;
foreach my $v (sort keys %named)
{
	ok((grep { $_ eq $v } @versions), "version $v, named by an update script, can be installed");
}

# what a database holds, object by object, with OIDs and xids taken out
sub schema_dump
{
	my ($db) = @_;
	my ($out, $err) = ('', '');
	IPC::Run::run([ 'pg_dump', '--schema-only', '--binary-upgrade', '-d', $node->connstr($db) ],
		'>', \$out, '2>', \$err)
	  or die "pg_dump --binary-upgrade of $db failed: $err";
	my @lines;
	foreach my $l (split /\n/, $out)
	{
		next if $l =~ /^\\(un)?restrict / || $l =~ /^-- Dumped (from|by) /;
		if ($l =~ /binary_upgrade_|relfrozenxid|relminmxid|^WHERE oid = '\d+'/)
		{
			# WAL positions too (Debian's 15.20 records one per column)
			$l =~ s{\b[0-9A-F]+/[0-9A-F]+\b}{L/L}g;
			$l =~ s/\d+/N/g;
		}
		push @lines, $l;
	}
	return join("\n", @lines) . "\n";
}

my $catalog_sql = q{
	WITH own AS (SELECT 16384::oid AS first)
	SELECT string_agg(line, E'\n' ORDER BY line) FROM (
	  SELECT 'depend: ' || pg_describe_object(classid, objid, objsubid) || ' -> '
	         || pg_describe_object(refclassid, refobjid, refobjsubid) || ' ' || deptype::text
	    FROM pg_depend, own WHERE objid >= first OR refobjid >= first
	  UNION ALL
	  SELECT 'init privs: ' || pg_describe_object(classoid, objoid, objsubid) || ' '
	         || privtype::text || ' ' || initprivs::text
	    FROM pg_init_privs, own WHERE objoid >= first
	  UNION ALL
	  SELECT 'shdepend: ' || pg_describe_object(classid, objid, objsubid) || ' -> '
	         || pg_describe_object(refclassid, refobjid, 0) || ' ' || deptype::text
	    FROM pg_shdepend
	   WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
	  UNION ALL
	  SELECT 'comment: ' || pg_describe_object(classoid, objoid, objsubid) || ' ' || description
	    FROM pg_description, own WHERE objoid >= first
	  UNION ALL
	  SELECT format('extension: %s %s %s %s %s %s', extname, extowner::regrole,
	                extnamespace::regnamespace, extrelocatable, extconfig::regclass[],
	                extcondition)
	    FROM pg_extension WHERE extname <> 'plpgsql') s (line)
};

sub catalog
{
	my ($db) = @_;
	my $c = $node->safe_psql($db, $catalog_sql);
	# a TOAST table is named after its table's OID
	$c =~ s/pg_toast_\d+/pg_toast_N/g;
	# and what each table holds
	foreach my $t (split /\n/, $node->safe_psql($db, q{
		SELECT oid::regclass FROM pg_class
		 WHERE oid >= 16384 AND relkind = 'r' AND relnamespace <> 'pg_toast'::regnamespace
		 ORDER BY 1::text}))
	{
		$c .= "\nrows: $t " . $node->safe_psql($db,
			"SELECT md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM $t t");
	}
	return $c;
}

query('CREATE DATABASE fresh');
$node->safe_psql('fresh', "CREATE EXTENSION $ext");
is($node->safe_psql('fresh', "SELECT extversion FROM pg_extension WHERE extname = '$ext'"),
	$default, "CREATE EXTENSION installs $default");
my $want_dump = schema_dump('fresh');
my $want_catalog = catalog('fresh');
like($want_dump, qr/ALTER EXTENSION $ext ADD FUNCTION/,
	'the binary-upgrade dump lists the member objects one by one');
like($want_catalog, qr/^depend: function .* -> extension $ext e$/m,
	'the catalog listing holds the membership rows');

my @old = grep { $_ ne $default } @versions;
foreach my $v (@old)
{
	my $path = query(qq{
		SELECT path FROM pg_extension_update_paths('$ext')
		 WHERE source = '$v' AND target = '$default'});
	ok($path ne '', "an update path leads from $v to $default ($path)");
	(my $db = "from_$v") =~ s/\W/_/g;
	query(qq{CREATE DATABASE "$db"});
	$node->safe_psql($db, "CREATE EXTENSION $ext VERSION '$v'");
	$node->safe_psql($db, "ALTER EXTENSION $ext UPDATE");
	is($node->safe_psql($db, "SELECT extversion FROM pg_extension WHERE extname = '$ext'"),
		$default, "$v updates to $default");
	my $got_dump = schema_dump($db);
	is($got_dump, $want_dump, "$v updated: every object as a fresh install defines it")
	  or diag(diff_text($want_dump, $got_dump));
	my $got_catalog = catalog($db);
	is($got_catalog, $want_catalog,
		"$v updated: the same dependencies, initial privileges, comments and table contents")
	  or diag(diff_text($want_catalog, $got_catalog));
}
ok(@old > 0, 'there is at least one earlier version to update from');

# the lines of one text missing from the other, for a failure's diagnostics
sub diff_text
{
	my ($a, $b) = @_;
	my %in_a = map { $_ => 1 } split /\n/, $a;
	my %in_b = map { $_ => 1 } split /\n/, $b;
	return join("\n",
		(map { "only in the fresh install: $_" } grep { !$in_b{$_} } split /\n/, $a),
		(map { "only in the updated one:   $_" } grep { !$in_a{$_} } split /\n/, $b));
}

done_testing();
