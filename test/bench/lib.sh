# Helpers for test/bench/run: throwaway clusters, configurations switched by
# an include file and a restart (or kept running and paused), pgbench pinned
# away from the server, and the rows of the report.  Sourced, not run.

# --- clusters ---------------------------------------------------------------

bin=$(pg_config --bindir)
pkglibdir=$(pg_config --pkglibdir)

# Pin the server to one CPU and every client to another, so that a client
# never competes with the backend it measures.  One CPU: share it.
if [ "$(nproc)" -ge 2 ]; then
  server_cpu=0
  client_cpu=1
else
  server_cpu=0
  client_cpu=0
fi

work=$(mktemp -d /tmp/aurora_serverless_bench.XXXXXX)
chown postgres: "$work"
chmod 755 "$work"
port=5432                        # each socket lives in its cluster's directory

# use_cluster NAME: the cluster the helpers below act on.  Its directory
# holds the socket, the data directory and the server log.
started_clusters=()
use_cluster() {
  cluster=$work/$1
  data=$cluster/data
  server_log=$cluster/server.log
}
use_cluster main

as_pg() { runuser -u postgres -- "$@"; }
on_server_cpu() { taskset -c "$server_cpu" "$@"; }
on_client_cpu() { taskset -c "$client_cpu" "$@"; }

# Clients connect as postgres through the socket (trust): they need not
# run as postgres, so a background client's $! is the client itself.

# psql on the client CPU: q "SQL" prints unaligned, tuples only
q() {
  on_client_cpu "$bin/psql" -X -q -At -F '|' -h "$cluster" -p "$port" \
    -U postgres -d postgres -v ON_ERROR_STOP=1 -c "$1"
}

pgbench_c() {
  on_client_cpu "$bin/pgbench" -h "$cluster" -p "$port" -U postgres "$@" postgres
}

# pgbench_bg LOG ARGS...: pgbench in the background on the client CPU.
# Not through a function or a subshell: $! must be pgbench itself (taskset
# execs it), so that stop_bg ends the client and nothing else.
bg_pids=()
pgbench_bg() {
  local log=$1
  shift
  taskset -c "$client_cpu" "$bin/pgbench" -h "$cluster" -p "$port" -U postgres \
    "$@" postgres >"$log" 2>&1 &
  bg_pid=$!
  bg_pids+=("$bg_pid")
}

# stop_bg PID: end a background client this run started, and reap it
stop_bg() {
  local p keep=()
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
  for p in "${bg_pids[@]}"; do
    [ "$p" = "$1" ] || keep+=("$p")
  done
  bg_pids=("${keep[@]}")
}

server_stop() {
  if [ -f "$data/postmaster.pid" ]; then
    thaw
    as_pg "$bin/pg_ctl" -D "$data" -m fast -w -t 120 stop >/dev/null 2>&1 || true
  fi
}

server_start() {
  if ! on_server_cpu runuser -u postgres -- "$bin/pg_ctl" -D "$data" \
         -l "$server_log" -w -t 120 start >/dev/null 2>&1; then
    echo "bench: the server did not start; end of $server_log:" >&2
    tail -20 "$server_log" >&2
    return 1
  fi
  case " ${started_clusters[*]} " in
    *" $cluster "*) ;;
    *) started_clusters+=("$cluster") ;;
  esac
}

# stop_all_clusters: every cluster this run started (for the exit trap)
stop_all_clusters() {
  local c
  for c in "${started_clusters[@]}"; do
    use_cluster "$(basename "$c")"
    server_stop
  done
}

# The postmaster and its children, postmaster first.
cluster_pids() {
  local pm
  pm=$(head -1 "$data/postmaster.pid" 2>/dev/null) || return 0
  [ -n "$pm" ] || return 0
  echo "$pm"
  perl -e '
    opendir my $d, "/proc" or exit 0;
    for my $p (grep { /^\d+$/ } readdir $d) {
      open my $f, "<", "/proc/$p/stat" or next;
      my $s = <$f>;
      $s =~ s/^.*\)\s+// or next;
      print "$p\n" if (split " ", $s)[1] == $ARGV[0];
    }' "$pm"
}

# freeze / thaw: pause every process of the current cluster (SIGSTOP, the
# postmaster first so that it forks nothing meanwhile) and resume them
# (SIGCONT).  A paused cluster uses no CPU: while one configuration is
# measured, the others' background workers do not run.
freeze() {
  local p
  for p in $(cluster_pids); do
    kill -STOP "$p" 2>/dev/null || true
  done
}
thaw() {
  local p
  for p in $(cluster_pids | tac); do
    kill -CONT "$p" 2>/dev/null || true
  done
}

# init_cluster: initdb and the settings every configuration shares
init_cluster() {
  mkdir -p "$cluster"
  chown postgres: "$cluster"
  as_pg "$bin/initdb" -D "$data" -A trust -N >"$cluster/initdb.log" 2>&1 || {
    cat "$cluster/initdb.log" >&2
    return 1
  }
  cat >>"$data/postgresql.conf" <<CONF
# aurora_serverless benchmark cluster
listen_addresses = ''
port = $port
# nothing waits for the disk: the figures are CPU cost, not the noise of a
# shared disk (a throwaway cluster)
fsync = off
synchronous_commit = off
include_if_exists = 'bench_cluster.conf'
include_if_exists = 'bench_section.conf'
include_if_exists = 'bench_variant.conf'
CONF
  echo "unix_socket_directories = '$cluster'" >"$data/bench_cluster.conf"
  chown postgres: "$data/bench_cluster.conf"
}

# clone_cluster FROM TO: copy a stopped cluster's data directory; then
# use_cluster TO
clone_cluster() {
  local from=$work/$1/data
  use_cluster "$2"
  mkdir -p "$cluster"
  cp -a "$from" "$data"
  rm -f "$data/postmaster.pid" "$data/aurora_serverless.state"
  chown -R postgres: "$cluster"
  echo "unix_socket_directories = '$cluster'" >"$data/bench_cluster.conf"
}

# Libraries preloaded by each configuration that throughput compares.
variant_libs() {
  case $1 in
    none) echo "" ;;
    *) echo "$1" ;;
  esac
}

# variant_available NAME: is its library installed?
variant_available() {
  [ "$1" = none ] || [ -f "$pkglibdir/$1.so" ]
}

# use_config VARIANT [SECTION SETTINGS...]: write the include files and
# restart.  SECTION SETTINGS are lines for bench_section.conf.
use_config() {
  local variant=$1
  shift
  server_stop
  {
    echo "# written by test/bench/run"
    printf '%s\n' "$@"
  } >"$data/bench_section.conf"
  {
    echo "# written by test/bench/run"
    echo "shared_preload_libraries = '$(variant_libs "$variant")'"
  } >"$data/bench_variant.conf"
  chown postgres: "$data/bench_section.conf" "$data/bench_variant.conf"
  server_start
}

# --- measuring --------------------------------------------------------------

# server_cpu_ticks: clock ticks of CPU the cluster has used: the postmaster,
# its live children, and its children that have exited (cutime, cstime)
server_cpu_ticks() {
  perl -e '
    my $pm = $ARGV[0];
    my $sum = 0;
    opendir my $d, "/proc" or exit 1;
    for my $p (grep { /^\d+$/ } readdir $d) {
      open my $f, "<", "/proc/$p/stat" or next;
      my $s = <$f>;
      close $f;
      $s =~ s/^.*\)\s+// or next;
      my @f = split " ", $s;    # 1: ppid, 11: utime, 12: stime, 13: cutime, 14: cstime
      if ($p == $pm) { $sum += $f[11] + $f[12] + $f[13] + $f[14] }
      elsif ($f[1] == $pm) { $sum += $f[11] + $f[12] }
    }
    print "$sum\n";' "$(head -1 "$data/postmaster.pid")"
}

# warm ARGS...: a pgbench run of $warmup_s s whose figures are thrown away
warm() {
  [ "$warmup_s" -gt 0 ] || return 0
  pgbench_c -n -M prepared -c 1 -j 1 -T "$warmup_s" "$@" >/dev/null 2>&1 || true
}

# measure ARGS...: a pgbench run of $run_s s, one client, prepared
# statements.  Prints "TPS TRANSACTIONS CPU_US", CPU_US being the server's
# CPU time over the run, in microseconds: the run's backend (exited, so in
# the postmaster's cutime) and every background process.  Prints nothing on
# failure.
clk_tck=$(getconf CLK_TCK 2>/dev/null || echo 100)
measure() {
  local out c0 c1 t n
  c0=$(server_cpu_ticks)
  if out=$(pgbench_c -n -M prepared -c 1 -j 1 -T "$run_s" "$@" 2>&1); then
    sleep 0.1                   # the run's backend exits and is reaped
    c1=$(server_cpu_ticks)
    t=$(sed -n 's/^tps = \([0-9.]*\) (without initial connection time).*/\1/p' <<<"$out")
    n=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' <<<"$out")
    [ -n "$t" ] && [ -n "$n" ] && echo "$t $n $(( (c1 - c0) * 1000000 / clk_tck ))"
  else
    echo "bench: pgbench $* failed:" >&2
    tail -5 <<<"$out" >&2
  fi
}

# join_by SEP WORDS...
join_by() {
  local sep=$1 out=$2 w
  shift 2
  for w in "$@"; do out="$out$sep$w"; done
  echo "$out"
}

# stats: numbers on stdin -> "median min max n" (nothing when none)
stats() { perl "$bench_dir/stats.pl"; }

# calc EXPR: floating point arithmetic, 6 significant digits
calc() { awk "BEGIN { printf \"%.6g\", $1 }"; }

# is_true EXPR: awk comparison as an exit status
is_true() { awk "BEGIN { exit !($1) }"; }

# fmt DIGITS X
fmt() { awk -v d="$1" -v x="$2" 'BEGIN { printf "%.*f", d, x }'; }

# now_epoch: the host clock, seconds with microseconds (the server shares it)
now_epoch() { date +%s.%6N; }

# proc_cpu_us PID: CPU time of a process, in microseconds: from schedstat
# (nanoseconds) where the kernel has it, else utime + stime (clock ticks)
proc_cpu_us() {
  perl -e '
    my $pid = $ARGV[0];
    if (open my $f, "<", "/proc/$pid/schedstat") {
      my ($ns) = split " ", scalar <$f>;
      if (defined $ns && $ns =~ /^\d+$/) { printf "%.0f\n", $ns / 1000; exit 0; }
    }
    open my $f, "<", "/proc/$pid/stat" or exit 1;
    my $s = <$f>;
    $s =~ s/^.*\)\s+//;
    my @f = split " ", $s;
    my $tck = 100;
    chomp(my $c = `getconf CLK_TCK 2>/dev/null`);
    $tck = $c if $c =~ /^\d+$/ && $c > 0;
    printf "%.0f\n", ($f[11] + $f[12]) * 1e6 / $tck;' "$1"
}

# proc_status_kb PID FIELD: a field of /proc/PID/status in kB (VmRSS, RssAnon)
proc_status_kb() {
  awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status" 2>/dev/null
}

# bytes N: "N B (x.x MiB)"; kib N: the same from kB
bytes() { awk -v b="$1" 'BEGIN { printf "%d B (%.1f MiB)", b, b / 1048576 }'; }
kib() { bytes "$(( ${1:-0} * 1024 ))"; }

# --- the report -------------------------------------------------------------

rows=$work/rows.md
: >"$rows"

# row SECTION MEASURE RESULT SPREAD TARGET VERDICT
# A smoke run's figures are too short to judge: its verdicts say so.
row() {
  local verdict=$6
  if [ "${smoke:-0}" = 1 ]; then
    case $verdict in
      met | "target missed"*) verdict="not judged (smoke run)" ;;
    esac
  fi
  printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$2" "$3" "$4" "$5" "$verdict" >>"$rows"
}

# print_rows: the rows, grouped by section in the order of the report
print_rows() {
  local s
  for s in Throughput "Hook statements" "Worker tick" Reaction "CPU limit" Memory Alarms "AWS API"; do
    grep -F "| $s |" "$rows" || true
  done
  grep -vE '^\| (Throughput|Hook statements|Worker tick|Reaction|CPU limit|Memory|Alarms|AWS API) \|' "$rows" || true
}

# A section that could not run at all makes the whole run fail.
failed_sections=()
section_failed() {
  failed_sections+=("$1")
  row "$1" "$2" "could not run" "" "" "could not run"
  echo "bench: section '$1' could not run: $2" >&2
}
