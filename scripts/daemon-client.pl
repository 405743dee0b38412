#!/usr/bin/perl
# The ./caravan launcher's quick way into a daemon that already runs (docs/cli.md, "The daemon").
#
#   perl scripts/daemon-client.pl JAR N DAEMON_COMMAND[N] CARAVAN_ARGS...
#
# It does what dev.caravan.cli.daemon.DaemonClient does when the daemon of this directory, environment, JVM command
# and build listens already: it names the daemon the same way (DaemonClient.identity: FNV-1a and a murmur3 finalizer
# over the same bytes), sends the command (DaemonProtocol: one request frame), copies the output frames to standard
# output and error, and exits with the command's exit code. Perl starts in a few milliseconds where even the small
# client JVM takes ~0.05 s, which is a third of a no-change rerun. On Linux it also starts the daemon when none
# listens, as DaemonClient.start does (one client at a time, under the lock file; in a session of its own through
# setsid; output to the daemon's log), which spares the first command of a series the client JVM (~0.2 s):
#   exit 96: no daemon answers and none can be started from here (not Linux, no usable socket directory, something
#            unusual): the launcher runs DaemonClient, which finds or starts one;
#   exit 97: no daemon ran the command (busy, an older build, one that did not come up): the launcher runs it in a
#            fresh JVM.
# No module is loaded on Linux: `use Socket` alone tripled perl's start-up here (12 -> 27 ms, a tenth of a warm
# command), `use Cwd` and `use warnings` added 4 ms more. Linux gives the socket constants, the working directory and
# real paths (/proc) directly; elsewhere the perl-base modules Socket and Cwd, which every Debian system has, are
# loaded when needed.
use strict;

my $NO_DAEMON = 96;
my $FALLBACK = 97;
my $VERSION = 1; # DaemonProtocol.VERSION
my %VOLATILE = map { $_ => 1 } qw(_ SHLVL OLDPWD PWD); # DaemonClient.VOLATILE_VARIABLES

sub debug {
    print STDERR "caravan: daemon client: @_\n" if defined $ENV{CARAVAN_DAEMON_DEBUG};
}

# DaemonClient.hash: FNV-1a over the bytes from a seed, then the murmur3 64-bit finalizer; two's complement 64-bit
# arithmetic ('use integer' wraps, as perl is built with -fwrapv), unsigned shifts outside it.
sub hash64 {
    my ($bytes, $seed) = @_;
    my $h;
    {
        use integer;
        $h = $seed;
        $h = ($h ^ $_) * 0x100000001B3 for unpack('C*', $bytes);
    }
    $h = mix($h, 0xff51afd7ed558ccd);
    $h = mix($h, 0xc4ceb9fe1a85ec53);
    return $h ^ ($h >> 33);
}

sub mix {
    my ($h, $m) = @_;
    $h = $h ^ ($h >> 33);
    use integer;
    return $h * $m;
}

my $LINUX = $^O eq 'linux' && -d '/proc/self/fd';

# the canonical path of an existing file (symbolic links resolved), as Java's Path.toRealPath gives it
sub real_path {
    my ($path) = @_;
    if ($LINUX) {
        open(my $fh, '<', $path) or return undef;
        my $real = readlink('/proc/self/fd/' . fileno($fh));
        close($fh);
        return $real if defined $real && $real =~ m{^/};
    }
    require Cwd;
    return Cwd::abs_path($path);
}

# the working directory, as the JVM's user.dir holds it
sub working_directory {
    if ($LINUX) {
        my $cwd = readlink('/proc/self/cwd');
        return $cwd if defined $cwd && $cwd =~ m{^/} && $cwd !~ / \(deleted\)$/;
    }
    require Cwd;
    return Cwd::getcwd();
}

# a stream socket connected to the Unix socket at PATH; undef when nothing listens there
sub connect_unix {
    my ($path) = @_;
    my ($family, $stream, $address);
    if ($LINUX) {
        ($family, $stream) = (1, 1); # AF_UNIX, SOCK_STREAM
        $address = pack('S a108', $family, $path); # struct sockaddr_un: sun_family, sun_path[108]
    } else {
        require Socket;
        ($family, $stream, $address) = (Socket::AF_UNIX(), Socket::SOCK_STREAM(), Socket::pack_sockaddr_un($path));
    }
    socket(my $sock, $family, $stream, 0) or return undef;
    return connect($sock, $address) ? $sock : undef;
}

sub identity {
    my ($given, $daemon, $cwd, $env) = @_;
    my $jar = real_path($given); # the JVM names its class path's jar by its canonical path
    return undef if !defined $jar;
    my @st = stat($jar) or return undef;
    my $key = join('', map { "$_\0" } @$daemon) . "$jar\0$st[7]\0$st[9]\0$cwd\0";
    $key .= "$_=$env->{$_}\0" for grep { !$VOLATILE{$_} } sort keys %$env;
    return sprintf('%016x', hash64($key, 0x9E3779B97F4A7C15))
        . substr(sprintf('%016x', hash64($key, 0xC2B2AE3D27D4EB4F)), 0, 8);
}

# DaemonClient.socketDirectory: a directory only this user may enter (made, mode 700, when its parent exists), else none
sub socket_directory {
    my $dir = $ENV{CARAVAN_DAEMON_DIR};
    if (!defined $dir || $dir eq '') {
        my $runtime = $ENV{XDG_RUNTIME_DIR};
        my $base = defined $runtime && $runtime ne '' && -d $runtime ? $runtime : '/tmp';
        $base =~ s{/+$}{} unless $base eq '/';
        $dir = "$base/caravan-daemon-$>";
    }
    return undef if length($dir) > 70;
    if (!lstat($dir)) {
        mkdir($dir, 0700) or lstat($dir) or return undef; # or made by another client meanwhile
        chmod(0700, $dir) if -d $dir && (stat(_))[4] == $>; # whatever the umask
    }
    my @st = lstat($dir) or return undef;
    return -d _ && $st[4] == $> && ($st[2] & 07777) == 0700 ? $dir : undef;
}

# DaemonClient.start: starts the daemon (DAEMON_COMMAND SOCKET IDLE JAR) in a session of its own, its output to its
# log, and connects once it listens; undef if it does not come up within a minute (or there is no setsid)
sub start_daemon {
    my ($daemon, $path, $log, $jar) = @_;
    my ($setsid) = grep { -x $_ } ('/usr/bin/setsid', '/bin/setsid');
    return undef if !defined $setsid;
    unlink($path); # no daemon answers there (killed): its socket file is left over
    my $idle = $ENV{CARAVAN_DAEMON_IDLE};
    $idle = '900' unless defined $idle && $idle =~ /^[1-9][0-9]{0,6}$/;
    my $append = -f $log && -s _ < (1 << 20); # the daemons' history, bounded
    my $pid = fork();
    return undef if !defined $pid;
    if ($pid == 0) { # the files this script opened are closed at exec (perl marks them so); 0, 1 and 2 are replaced
        $SIG{PIPE} = 'DEFAULT'; # an ignored signal would stay ignored in the daemon
        open(STDIN, '<', '/dev/null') && open(STDOUT, $append ? '>>' : '>', $log) && open(STDERR, '>&', \*STDOUT)
            && exec { $setsid } $setsid, @$daemon, $path, $idle, $jar;
        exit 127;
    }
    my $deadline = time() + 60;
    while (time() < $deadline) {
        my $sock = -S $path ? connect_unix($path) : undef;
        return $sock if defined $sock;
        if (waitpid($pid, 1) == $pid) { # WNOHANG: it ended; it may have lost a race to a daemon that listens now
            return -S $path ? connect_unix($path) : undef;
        }
        select(undef, undef, undef, 0.01);
    }
    kill('TERM', $pid);
    return undef;
}

# a connection to the daemon at PATH, started first (under the lock file) when none listens; undef if none can be
# started here (exit 96: the Java client tries) and 0 if one was started and did not come up (exit 97)
sub connect_or_start {
    my ($daemon, $dir, $id, $jar) = @_;
    my $path = "$dir/$id.sock";
    my $sock = -S $path ? connect_unix($path) : undef;
    return $sock if defined $sock;
    return undef if !$LINUX;
    # one client at a time starts this daemon; the others wait here, then find it (LOCK_EX is 2 on Linux)
    open(my $lock, '>>', "$dir/$id.lock") or return undef;
    flock($lock, 2) or return undef;
    $sock = -S $path ? connect_unix($path) : undef;
    return $sock if defined $sock;
    debug("starting a daemon at $path");
    $sock = start_daemon($daemon, $path, "$dir/$id.log", $jar);
    close($lock);
    return defined $sock ? $sock : 0;
}

sub read_exactly {
    my ($sock, $len) = @_;
    my $buf = '';
    while (length($buf) < $len) {
        my $n = sysread($sock, $buf, $len - length($buf), length($buf));
        return undef if !$n; # end of stream or error
    }
    return $buf;
}

# false when the other end is gone (SIGPIPE is ignored, as the JVM ignores it)
sub write_all {
    my ($fh, $bytes) = @_;
    while (length $bytes) {
        my $n = syswrite($fh, $bytes);
        return 0 unless defined $n;
        substr($bytes, 0, $n, '');
    }
    return 1;
}

if (@ARGV && $ARGV[0] eq '--identity') { # for DaemonClientScriptTest: JAR N DAEMON_COMMAND[N]
    my (undef, $jar, $n, @rest) = @ARGV;
    print identity($jar, [@rest[0 .. $n - 1]], working_directory(), \%ENV), "\n";
    exit 0;
}

exit $NO_DAEMON if ~0 != 18446744073709551615; # a perl without 64-bit integers cannot compute the name
$SIG{PIPE} = 'IGNORE';
# the launcher runs this as a background child, which a shell starts with INT ignored: Ctrl-C must end it (its daemon
# then ends the command, as the command's own JVM would end)
$SIG{INT} = 'DEFAULT';
$SIG{TERM} = 'DEFAULT';

my ($jar, $n, @rest) = @ARGV;
my @daemon = splice(@rest, 0, $n);
my $dir = socket_directory();
my $id = defined $dir ? identity($jar, \@daemon, working_directory(), \%ENV) : undef;
if (!defined $id) {
    debug('no daemon: no usable socket directory (yet) or jar');
    exit $NO_DAEMON;
}
my $sock = connect_or_start(\@daemon, $dir, $id, $jar);
if (!$sock) {
    debug(defined $sock ? "the daemon at $dir/$id.sock did not come up" : "no daemon at $dir/$id.sock");
    exit(defined $sock ? $FALLBACK : $NO_DAEMON);
}
debug("daemon at $dir/$id.sock");
my $body = pack('N C N', $VERSION, (-t STDIN && -t STDOUT) ? 1 : 0, scalar @rest)
    . join('', map { pack('N/a*', $_) } @rest);
# a busy daemon answers and closes without reading the request: its answer is read below either way
write_all($sock, pack('a N', 'R', length $body) . $body);
my $started = 0; # the daemon sends an empty output frame when it starts the command
my %gone;        # standard output or error closed (a pipe into head): the rest of it is dropped, as the JVM does
while (1) {
    my $head = read_exactly($sock, 5);
    my ($type, $len) = defined $head ? unpack('a N', $head) : ('', 0);
    my $frame = defined $head ? read_exactly($sock, $len) : undef;
    if (!defined $frame) {
        exit $FALLBACK unless $started; # ended before it began: the command runs in a fresh JVM
        # never run a started command a second time: it may have written part of its work
        print STDERR "caravan: the daemon running this command ended before it finished (its log: $dir/$id.log);"
            . " run the command again to resume it\n";
        exit 1;
    }
    if ($type eq 'O' || $type eq 'E') {
        # control characters other than tab, newline and carriage return in caret notation (ESC as ^[), as
        # dev.caravan.cli.TerminalSafe does: names from the stores must not drive the terminal
        $frame =~ s/([\x00-\x08\x0b\x0c\x0e-\x1f\x7f])/'^' . chr(ord($1) ^ 0x40)/ge;
        $gone{$type} ||= !write_all($type eq 'O' ? \*STDOUT : \*STDERR, $frame);
        $started = 1;
    } elsif ($type eq 'X') {
        exit unpack('N', $frame);
    } elsif ($type eq 'B') {
        exit $FALLBACK;
    } else {
        print STDERR "caravan: unknown frame '$type' from the daemon\n";
        exit 1;
    }
}
