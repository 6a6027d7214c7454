# See it: alarms evaluated by the worker and announced by NOTIFY; the HTML
# report rendered by a real browser (headless Chromium, its screenshot
# checked for a picture of the expected size); the status view in a
# terminal's width; the query file of prometheus-postgres-exporter scraped;
# every SQL query of the Grafana dashboard run.  Clients that are not
# installed are skipped with the reason.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;
use JSON::PP;
use HTTP::Tiny;
use Time::HiRes qw(usleep);

my $node = PostgreSQL::Test::Cluster->new('seeit');
$node->init;
$node->append_conf('postgresql.conf', q{
shared_preload_libraries = 'aurora_serverless'
aurora_serverless.sample_interval = 250ms
aurora_serverless.scale_up_delay = 0
aurora_serverless.scale_down_delay = 2s
aurora_serverless.scale_down_interval = 1s
aurora_serverless.notify_database = 'postgres'
});
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION aurora_serverless');
sub query { return $node->safe_psql('postgres', shift); }

# -- alarms: capacity at 2 ACU or more over a period of 10 s (CloudWatch's
# shortest period for an alarm)
query(q{SELECT aurora_serverless.put_metric_alarm('capacity-high', 'ServerlessDatabaseCapacity',
          'Maximum', 10, 1, 2, 'GreaterThanOrEqualToThreshold')});
ok($node->poll_query_until('postgres',
	"SELECT state_value = 'OK' FROM aurora_serverless.alarms WHERE alarm_name = 'capacity-high'"),
	'an idle instance: the alarm is OK');
like(query("SELECT state_reason FROM aurora_serverless.alarms"),
	qr/^Threshold Crossed: 1 datapoint \[(?:0\.5|1|1\.5)\] was not greater than or equal to the threshold \(2\)\.$/,
	'its reason gives the datapoints, as CloudWatch words it');

my $listener = $node->background_psql('postgres');
$listener->query_safe('LISTEN aurora_serverless_alarm');

# wait for a notification in the listening session; returns its payload
sub wait_notification
{
	my ($want_state) = @_;
	foreach (1 .. 10 * $PostgreSQL::Test::Utils::timeout_default)
	{
		my $out = $listener->query_safe('SELECT 1');
		while ($out =~ /Asynchronous notification "aurora_serverless_alarm" with payload "(.*?)" received/g)
		{
			my $payload = decode_json($1);
			return $payload if $payload->{NewStateValue} eq $want_state;
		}
		usleep(100_000);
	}
	return undef;
}

my $burn = $node->basedir . '/burn.sql';
append_to_file($burn, "SELECT count(*) FROM generate_series(1, 2000000);\n");
my ($bout, $berr) = ('', '');
my $burst_at = query('SELECT now()');
my $bench = IPC::Run::start([ 'pgbench', '-n', '-c', '2', '-j', '2', '-T', '600', '-f', $burn,
	'-h', $node->host, '-p', $node->port, 'postgres' ], '>', \$bout, '2>', \$berr);
my $alarm = wait_notification('ALARM');
ok($alarm, 'under load the alarm goes to ALARM, and LISTEN aurora_serverless_alarm hears it');
is($alarm->{AlarmName}, 'capacity-high', 'the payload names the alarm');
is($alarm->{OldStateValue}, 'OK', 'and the state it left');
like($alarm->{NewStateReason}, qr/^Threshold Crossed: 1 datapoint \[[0-9.]+\] was greater than or equal to the threshold \(2\)\.$/,
	'and why');
is($alarm->{Trigger}{MetricName} . ' ' . $alarm->{Trigger}{ComparisonOperator},
	'ServerlessDatabaseCapacity GreaterThanOrEqualToThreshold', 'and its trigger');
is(query("SELECT state_value FROM aurora_serverless.alarms"), 'ALARM', 'the alarms view says ALARM');
$bench->kill_kill;
$bench->finish;
my $ok = wait_notification('OK');
ok($ok, 'once capacity is back down, the alarm returns to OK, heard too');
# (the start-up of the instance may have raised capacity in the first
# period, before the alarm was seen OK: count from the burst)
is(query("SELECT string_agg(reason, ',' ORDER BY event_time) FROM aurora_serverless.scaling_events
           WHERE event = 'alarm' AND event_time >= '$burst_at'"), 'ALARM,OK',
	'each change of state is an alarm event');
is(query("SELECT reason FROM aurora_serverless.scaling_events
           WHERE event = 'alarm' AND event_time < '$burst_at' ORDER BY event_time DESC LIMIT 1"), 'OK',
	'the last one before the burst was to OK');
$listener->quit;

# -- the report, in a real browser
my $html = $node->basedir . '/report.html';
my $report = query('SELECT aurora_serverless.report()');
append_to_file($html, $report);
my ($samples) = $report =~ /data-samples="(\d+)"/;
my ($points) = $report =~ /<polyline id="capacity" data-points="\d+" [^>]*points="([^"]*)"/;
cmp_ok($samples, '>', 20, "the report holds the last hour's samples ($samples)");
is(scalar(split / /, $points), $samples, 'the SVG draws one point per sample');
unlike($report, qr/<script|src=|href=|url\(/i, 'the page fetches nothing');
SKIP:
{
	skip 'chromium or python3-pil is not installed', 3
	  unless -x '/usr/bin/chromium' && system('/usr/bin/python3 -c "import PIL" 2>/dev/null') == 0;
	my $png = $node->basedir . '/report.png';
	my $profile = $node->basedir . '/chromium';
	my ($cout, $cerr) = ('', '');
	IPC::Run::run([ '/usr/bin/chromium', '--headless', '--no-sandbox', '--disable-gpu',
		'--disable-quic', '--no-first-run', '--disable-background-networking',
		'--disable-component-update', '--disable-sync', "--user-data-dir=$profile",
		'--window-size=1280,900', "--screenshot=$png", "file://$html" ],
		'>', \$cout, '2>', \$cerr, IPC::Run::timeout(120));
	ok(-s $png, 'headless Chromium takes a screenshot of the page') or diag($cerr);
	my $pic = `/usr/bin/python3 -c '
import sys
from PIL import Image
im = Image.open(sys.argv[1]).convert("RGB")
w, h = im.size
colours = im.getcolors(w * h)
inked = sum(n for n, c in colours if c != (255, 255, 255))
print(w, h, len(colours), round(inked / (w * h), 3))' $png`;
	my ($w, $h, $ncolours, $inked) = split ' ', $pic;
	is("$w x $h", '1280 x 900', 'the picture has the window\'s size');
	ok($ncolours > 50 && $inked > 0.05,
		"and is not blank: $ncolours colours, $inked of it inked");
}

# -- the status view fits a terminal
my ($ret, $status, $err) = $node->psql('postgres', 'SELECT * FROM aurora_serverless.status');
my $widest = 0;
$widest = length($_) > $widest ? length($_) : $widest foreach split /\n/, $status;
cmp_ok($widest, '<=', 80, "SELECT * FROM status fits 80 columns ($widest)");

# -- prometheus-postgres-exporter with the query file
SKIP:
{
	skip 'prometheus-postgres-exporter is not installed', 4
	  unless -x '/usr/bin/prometheus-postgres-exporter';
	my $port = PostgreSQL::Test::Cluster::get_free_port();
	local $ENV{DATA_SOURCE_NAME} = 'host=' . $node->host . ' port=' . $node->port
	  . ' user=' . getpwuid($<) . ' dbname=postgres sslmode=disable';
	my ($eout, $eerr) = ('', '');
	my $exporter = IPC::Run::start([ '/usr/bin/prometheus-postgres-exporter',
		"--web.listen-address=127.0.0.1:$port",
		'--extend.query-path=monitoring/postgres_exporter.yaml' ],
		'>', \$eout, '2>', \$eerr);
	my $body = '';
	foreach (1 .. 10 * $PostgreSQL::Test::Utils::timeout_default)
	{
		my $r = HTTP::Tiny->new(timeout => 5)->get("http://127.0.0.1:$port/metrics");
		$body = $r->{content} if $r->{success};
		last if $body =~ /aurora_serverless_usage_acu_hours/;
		usleep(200_000);
	}
	$exporter->kill_kill;
	$exporter->finish;
	like($body, qr/^aurora_serverless_serverless_database_capacity\{[^}]*state="active"[^}]*\} [0-9.e+]+$/m,
		'the exporter serves the capacity, labelled with the state') or diag($eerr);
	like($body, qr/^aurora_serverless_max_connections\{[^}]*\} 2000$/m, 'and the derived max_connections');
	like($body, qr/^aurora_serverless_usage_acu_hours\{[^}]*\} [0-9.e+-]+$/m, 'and the usage');
	like($body, qr/^aurora_serverless_alarm_state\{[^}]*alarm_name="capacity-high"[^}]*\} 0$/m,
		'and each alarm\'s state');
}

# -- the Grafana dashboard: every query runs
my $dash = decode_json(slurp_file('monitoring/grafana-dashboard.json'));
my @queries;
foreach my $panel (@{ $dash->{panels} })
{
	push @queries, [ $panel->{title}, $_->{rawSql} ] foreach @{ $panel->{targets} };
}
push @queries, [ $_->{name}, $_->{rawQuery} ] foreach @{ $dash->{annotations}{list} };
cmp_ok(scalar(@queries), '>=', 6, 'the dashboard has its queries');
foreach my $q (@queries)
{
	my ($title, $sql) = @$q;
	# Grafana's macros, as its PostgreSQL data source expands them
	$sql =~ s/\$__timeFilter\((\w+)\)/$1 BETWEEN now() - interval '1 hour' AND now()/g;
	$sql =~ s/\$__timeFrom\(\)/(now() - interval '1 hour')/g;
	$sql =~ s/\$__timeTo\(\)/now()/g;
	my ($rc, $out, $qerr) = $node->psql('postgres', $sql);
	is($rc . $qerr, '0', "dashboard query runs: $title");
}

$node->stop;
done_testing();
