# pg_dump and pg_restore keep what a user made: every edit of
# provisioned_classes (a price changed, a class added, a shipped class
# deleted) and every grant and revoke on the extension's objects, with no
# shipped row twice.  Custom and plain formats, with and without --clean
# --if-exists, into a new database, over the database itself and into a
# fresh cluster; a schema then data restore with triggers disabled (as
# Debian's pg_upgradecluster does); a dump made by 1.0, which holds every
# row, restored into the current version; and ALTER EXTENSION UPDATE from
# 1.0 keeping the same edits and grants.  The real pg_dump, pg_restore,
# pg_dumpall and psql of the major under test.
use strict;
use warnings;
use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('dump');
$node->init;
$node->append_conf('postgresql.conf', "shared_preload_libraries = 'aurora_serverless'\n");
$node->start;

my $fresh = PostgreSQL::Test::Cluster->new('dump_fresh');
$fresh->init;
$fresh->append_conf('postgresql.conf', "shared_preload_libraries = 'aurora_serverless'\n");
$fresh->start;

my $dir = PostgreSQL::Test::Utils::tempdir;

# run a client; returns its exit status, its stdout and its stderr
sub run_client
{
	my @cmd = @_;
	my ($out, $err) = ('', '');
	IPC::Run::run(\@cmd, '<', \'', '>', \$out, '2>', \$err);
	return ($? >> 8, $out, $err);
}

# a client that must succeed and say nothing on stderr but NOTICEs
sub client_ok
{
	my ($name, @cmd) = @_;
	my ($rc, $out, $err) = run_client(@cmd);
	my @bad = grep { $_ ne '' && !/^(psql:[^:]*:\d+: )?NOTICE: / } split /\n/, $err;
	ok($rc == 0 && !@bad, $name) or diag("exit $rc\n$err");
	return $rc == 0;
}

$node->safe_psql('postgres', q{
	CREATE ROLE operator LOGIN;
	CREATE ROLE editor LOGIN;
	CREATE ROLE reader LOGIN;
});
$node->safe_psql('postgres', 'CREATE DATABASE appdb');
$node->safe_psql('postgres', 'CREATE DATABASE olddb');

# The edits and grants a user makes, the same on every database.
my $edits = q{
	UPDATE aurora_serverless.provisioned_classes SET hourly_price = 0.300
	 WHERE instance_class = 'db.r6g.large';
	INSERT INTO aurora_serverless.provisioned_classes
	  VALUES ('db.x2g.large', 2, 32, 0.5, 'our reserved price');
	DELETE FROM aurora_serverless.provisioned_classes
	 WHERE instance_class = 'db.r7g.16xlarge';
	GRANT EXECUTE ON FUNCTION aurora_serverless.modify_capacity(numeric, numeric),
	                          aurora_serverless.pause(), aurora_serverless.resume()
	   TO operator;
	GRANT INSERT, UPDATE, DELETE ON aurora_serverless.provisioned_classes TO editor;
	GRANT UPDATE (note) ON aurora_serverless.provisioned_classes TO reader;
	REVOKE SELECT ON aurora_serverless.metrics FROM PUBLIC;
	GRANT SELECT ON aurora_serverless.metrics TO reader;
};

# What must come through: the rows of provisioned_classes, and the
# privileges of every object of the extension (its columns too) and of its
# schema.
my $snapshot_sql = q{
	SELECT (SELECT string_agg(format('%s %s %s %s %s', instance_class, vcpus,
	                                 memory_gib, hourly_price, note), E'\n'
	                          ORDER BY instance_class)
	          FROM aurora_serverless.provisioned_classes)
	       || E'\n--\n' ||
	       (SELECT string_agg(d, E'\n' ORDER BY d) FROM (
	          SELECT pg_describe_object(dep.classid, dep.objid, 0) || ' '
	                 || coalesce(CASE dep.classid
	                      WHEN 'pg_class'::regclass THEN
	                        (SELECT relacl::text FROM pg_class WHERE oid = dep.objid)
	                      WHEN 'pg_proc'::regclass THEN
	                        (SELECT proacl::text FROM pg_proc WHERE oid = dep.objid)
	                      WHEN 'pg_type'::regclass THEN
	                        (SELECT typacl::text FROM pg_type WHERE oid = dep.objid)
	                      END, '-') AS d
	            FROM pg_depend dep
	            JOIN pg_extension e ON e.oid = dep.refobjid
	           WHERE dep.refclassid = 'pg_extension'::regclass AND dep.deptype = 'e'
	             AND e.extname = 'aurora_serverless'
	          UNION ALL
	          SELECT format('column %s.%s %s', a.attrelid::regclass, a.attname, a.attacl)
	            FROM pg_attribute a
	            JOIN pg_class c ON c.oid = a.attrelid
	           WHERE c.relnamespace = 'aurora_serverless'::regnamespace
	             AND a.attacl IS NOT NULL
	          UNION ALL
	          SELECT 'schema ' || nspname || ' ' || coalesce(nspacl::text, '-')
	            FROM pg_namespace WHERE nspname = 'aurora_serverless') s)
};

sub snapshot
{
	my ($n, $db) = @_;
	return $n->safe_psql($db, $snapshot_sql);
}

# every class once, and the shipped rows once each behind the view
sub no_duplicates
{
	my ($n, $db, $name) = @_;
	is($n->safe_psql($db, q{
		SELECT count(*) = count(DISTINCT instance_class)
		   AND (SELECT count(*) FROM aurora_serverless.provisioned_class_defaults) = 14
		   AND (SELECT count(*) FROM aurora_serverless.provisioned_class_edits) = 3
		  FROM aurora_serverless.provisioned_classes}), 't',
		"$name: no class twice, the shipped rows once, the three edits");
}

$node->safe_psql('appdb', 'CREATE EXTENSION aurora_serverless');
$node->safe_psql('appdb', $edits);
my $want = snapshot($node, 'appdb');
like($want, qr/^db\.r6g\.large 2 16 0\.300 /m, 'the changed price is in place');
like($want, qr/^db\.x2g\.large 2 32 0\.5 our reserved price$/m, 'the added class is in place');
unlike($want, qr/^db\.r7g\.16xlarge /m, 'the deleted class is gone');
like($want, qr/pause\(\) \{[^}]*operator=X\//, 'the grant to operator is in place');
no_duplicates($node, 'appdb', 'as edited');

# the editor edits through the view with its grant alone
$node->safe_psql('appdb', q{
	SET ROLE editor;
	UPDATE aurora_serverless.provisioned_classes SET note = 'checked'
	 WHERE instance_class = 'db.r6g.xlarge';
	UPDATE aurora_serverless.provisioned_classes SET note = 'us-east-1 on-demand, Standard'
	 WHERE instance_class = 'db.r6g.xlarge';
});
is(snapshot($node, 'appdb'), $want, 'a role granted UPDATE on the view edits it, and back');

# bad rows keep their errors (and SQLSTATEs), and change nothing
my ($rc, $out, $err);
($rc, $out, $err) = $node->psql('appdb', q{
	\set VERBOSITY verbose
	INSERT INTO aurora_serverless.provisioned_classes VALUES ('db.x2g.large', 2, 32, 0.5, 'again')});
like($err, qr/23505.*duplicate key value violates unique constraint "provisioned_classes_pkey"/,
	'a class listed twice is a unique violation');
($rc, $out, $err) = $node->psql('appdb', q{
	\set VERBOSITY verbose
	UPDATE aurora_serverless.provisioned_classes SET vcpus = 0 WHERE instance_class = 'db.r6g.large'});
like($err, qr/23514.*violates a check constraint/, 'vcpus 0 is a check violation');
($rc, $out, $err) = $node->psql('appdb', q{
	\set VERBOSITY verbose
	INSERT INTO aurora_serverless.provisioned_classes (instance_class, vcpus) VALUES ('db.y', 2)});
like($err, qr/23502.*null value/, 'a missing price is a not-null violation');
($rc, $out, $err) = $node->psql('appdb', q{
	SET ROLE reader;
	DELETE FROM aurora_serverless.provisioned_classes});
like($err, qr/permission denied for view provisioned_classes/,
	'a role without DELETE on the view cannot delete');
is(snapshot($node, 'appdb'), $want, 'and nothing changed');


# custom format into a new database
client_ok('pg_dump -Fc', 'pg_dump', '-Fc', '-f', "$dir/appdb.dump", '-d', $node->connstr('appdb'));
$node->safe_psql('postgres', 'CREATE DATABASE custom_new');
client_ok('pg_restore into a new database: no error',
	'pg_restore', '--exit-on-error', '-d', $node->connstr('custom_new'), "$dir/appdb.dump");
is(snapshot($node, 'custom_new'), $want, 'pg_restore into a new database: edits and grants kept');
no_duplicates($node, 'custom_new', 'pg_restore into a new database');

# plain format into a new database, psql stopping at the first error
client_ok('pg_dump -Fp', 'pg_dump', '-Fp', '-f', "$dir/appdb.sql", '-d', $node->connstr('appdb'));
$node->safe_psql('postgres', 'CREATE DATABASE plain_new');
client_ok('psql -v ON_ERROR_STOP=1 into a new database: no error',
	'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', "$dir/appdb.sql", '-d',
	$node->connstr('plain_new'));
is(snapshot($node, 'plain_new'), $want, 'plain restore into a new database: edits and grants kept');
no_duplicates($node, 'plain_new', 'plain restore into a new database');

# --clean --if-exists: over the database itself, and into an empty one
client_ok('pg_restore --clean --if-exists over the database itself',
	'pg_restore', '--clean', '--if-exists', '--exit-on-error', '-d',
	$node->connstr('appdb'), "$dir/appdb.dump");
is(snapshot($node, 'appdb'), $want, 'pg_restore --clean --if-exists over itself: kept');
no_duplicates($node, 'appdb', 'pg_restore --clean --if-exists over itself');
$node->safe_psql('postgres', 'CREATE DATABASE custom_clean');
client_ok('pg_restore --clean --if-exists into an empty database',
	'pg_restore', '--clean', '--if-exists', '--exit-on-error', '-d',
	$node->connstr('custom_clean'), "$dir/appdb.dump");
is(snapshot($node, 'custom_clean'), $want, 'pg_restore --clean --if-exists into an empty one: kept');

client_ok('pg_dump -Fp --clean --if-exists', 'pg_dump', '-Fp', '--clean', '--if-exists',
	'-f', "$dir/appdb_clean.sql", '-d', $node->connstr('appdb'));
client_ok('psql of the --clean --if-exists dump over the database itself',
	'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', "$dir/appdb_clean.sql", '-d',
	$node->connstr('appdb'));
is(snapshot($node, 'appdb'), $want, 'plain --clean --if-exists over itself: kept');
no_duplicates($node, 'appdb', 'plain --clean --if-exists over itself');
$node->safe_psql('postgres', 'CREATE DATABASE plain_clean');
client_ok('psql of the --clean --if-exists dump into an empty database',
	'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', "$dir/appdb_clean.sql", '-d',
	$node->connstr('plain_clean'));
is(snapshot($node, 'plain_clean'), $want, 'plain --clean --if-exists into an empty one: kept');

# schema first, then the data with triggers disabled, as Debian's
# pg_upgradecluster (method dump) restores
$node->safe_psql('postgres', 'CREATE DATABASE split');
client_ok('pg_restore --schema-only', 'pg_restore', '--schema-only', '--exit-on-error',
	'-d', $node->connstr('split'), "$dir/appdb.dump");
client_ok('pg_restore --data-only --disable-triggers', 'pg_restore', '--data-only',
	'--disable-triggers', '--exit-on-error', '-d', $node->connstr('split'), "$dir/appdb.dump");
is(snapshot($node, 'split'), $want, 'schema, then data with triggers disabled: kept');
no_duplicates($node, 'split', 'schema, then data with triggers disabled');

# a fresh cluster: the roles first (pg_dumpall --globals-only), then each format
client_ok('pg_dumpall --globals-only', 'pg_dumpall', '--globals-only', '-f', "$dir/globals.sql",
	'-d', $node->connstr('postgres'));
# the bootstrap superuser exists there already: its CREATE ROLE is the one error
run_client('psql', '-X', '-q', '-f', "$dir/globals.sql", '-d', $fresh->connstr('postgres'));
$fresh->safe_psql('postgres', 'CREATE DATABASE custom_new');
$fresh->safe_psql('postgres', 'CREATE DATABASE plain_new');
client_ok('pg_restore into a fresh cluster: no error',
	'pg_restore', '--exit-on-error', '-d', $fresh->connstr('custom_new'), "$dir/appdb.dump");
is(snapshot($fresh, 'custom_new'), $want, 'pg_restore into a fresh cluster: kept');
no_duplicates($fresh, 'custom_new', 'pg_restore into a fresh cluster');
client_ok('psql -v ON_ERROR_STOP=1 into a fresh cluster: no error',
	'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', "$dir/appdb.sql", '-d',
	$fresh->connstr('plain_new'));
is(snapshot($fresh, 'plain_new'), $want, 'plain restore into a fresh cluster: kept');
client_ok('pg_restore --clean --if-exists into a fresh cluster, over the restored database',
	'pg_restore', '--clean', '--if-exists', '--exit-on-error', '-d',
	$fresh->connstr('plain_new'), "$dir/appdb.dump");
is(snapshot($fresh, 'plain_new'), $want, 'pg_restore --clean --if-exists in the fresh cluster: kept');

# 1.0: ALTER EXTENSION UPDATE keeps the edits and grants made on its table
$node->safe_psql('olddb', q{CREATE EXTENSION aurora_serverless VERSION '1.0'});
$node->safe_psql('olddb', $edits);
# a dump made by 1.0 holds every row of the table: it restores into the
# current version with the change and the addition (a deletion it cannot
# tell; the class comes back)
client_ok('pg_dump of a 1.0 database', 'pg_dump', '-Fp', '-f', "$dir/old.sql", '-d',
	$node->connstr('olddb'));
$node->safe_psql('postgres', 'CREATE DATABASE from_old');
client_ok('a 1.0 dump restores into the current version with no error',
	'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', "$dir/old.sql", '-d',
	$node->connstr('from_old'));
is($node->safe_psql('from_old', q{
	SELECT string_agg(instance_class || ' ' || hourly_price, ', ' ORDER BY instance_class)
	  FROM aurora_serverless.provisioned_classes
	 WHERE instance_class IN ('db.r6g.large', 'db.x2g.large')
	    OR hourly_price IS DISTINCT FROM (SELECT d.hourly_price
	                                        FROM aurora_serverless.provisioned_class_defaults d
	                                       WHERE d.instance_class = provisioned_classes.instance_class)}),
	'db.r6g.large 0.300, db.x2g.large 0.5',
	'a 1.0 dump: the changed price and the added class, and the shipped rows once');

$node->safe_psql('olddb', 'ALTER EXTENSION aurora_serverless UPDATE');
is(snapshot($node, 'olddb'), $want,
	'ALTER EXTENSION UPDATE from 1.0: the same rows and grants as edits made on the current version');
no_duplicates($node, 'olddb', 'updated from 1.0');
# the grants carried to the view are the user's, not the extension's: a
# dump keeps them, and the roles can be dropped once they are revoked
client_ok('pg_dump of the updated database', 'pg_dump', '-Fc', '-f', "$dir/updated.dump", '-d',
	$node->connstr('olddb'));
$node->safe_psql('postgres', 'CREATE DATABASE from_updated');
client_ok('its restore: no error', 'pg_restore', '--exit-on-error', '-d',
	$node->connstr('from_updated'), "$dir/updated.dump");
is(snapshot($node, 'from_updated'), $want, 'a dump of the updated database keeps it all');
is($node->safe_psql('olddb', q{
	SELECT count(*) FROM pg_init_privs
	 WHERE objoid = 'aurora_serverless.provisioned_classes'::regclass
	   AND initprivs::text ~ '(editor|reader)='}), '0',
	'the carried grants are not recorded as the extension\'s own');

done_testing();
