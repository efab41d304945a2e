package policies_test

// Behavioural tests: the timeout and keep-alive claims the haproxy rules
// (OSC-HAP-002, -003, -005, -009) make, shown against Debian's real haproxy
// on 127.0.0.1 with a tiny Go backend. Timeouts are a second or two; every
// socket is loopback; each test is bounded by deadlines.

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func haproxyBin(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("haproxy"); err == nil {
		return p
	}
	if _, err := os.Stat("/usr/sbin/haproxy"); err == nil {
		return "/usr/sbin/haproxy"
	}
	t.Skip("haproxy not installed (Debian's haproxy; .ci/run installs it)")
	return ""
}

// freePort returns a loopback port nobody listens on right now.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// startHAProxy runs haproxy in the foreground with cfg (where FRONT is the
// port it listens on) until the test ends, and returns the address.
func startHAProxy(t *testing.T, cfg string) string {
	t.Helper()
	bin := haproxyBin(t)
	port := freePort(t)
	cfg = strings.ReplaceAll(cfg, "FRONT", fmt.Sprint(port))
	f := filepath.Join(t.TempDir(), "haproxy.cfg")
	if err := os.WriteFile(f, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(bin, "-c", "-f", f).CombinedOutput(); err != nil {
		t.Fatalf("haproxy -c: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "-db", "-f", f)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	for deadline := time.Now().Add(5 * time.Second); ; {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			c.Close()
			return addr
		}
		if time.Now().After(deadline) {
			t.Fatalf("haproxy did not listen on %s: %v\n%s", addr, err, stderr.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// slowHTTP is a backend that answers after delay.
func slowHTTP(t *testing.T, delay time.Duration) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(delay)
		io.WriteString(w, "ok\n")
	})}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return l.Addr().String()
}

// echoTCP is a backend that echoes lines.
func echoTCP(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				io.Copy(c, c)
			}()
		}
	}()
	t.Cleanup(func() { l.Close() })
	return l.Addr().String()
}

const hapGlobal = `global
    log stderr format raw local0 err
defaults
    log global
    timeout connect 1s
`

// status sends one GET over a fresh connection and returns the status code.
func status(t *testing.T, addr string, deadline time.Duration) int {
	t.Helper()
	c := http.Client{Timeout: deadline}
	resp, err := c.Get("http://" + addr + "/")
	if err != nil {
		t.Fatalf("GET via haproxy: %v", err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

// OSC-HAP-002: a backend slower than `timeout server` gives the caller a
// 504 from haproxy.
func TestHAProxyServerTimeoutGives504(t *testing.T) {
	be := slowHTTP(t, 2*time.Second)
	addr := startHAProxy(t, hapGlobal+`    mode http
    timeout client 10s
    timeout server 1s
listen api
    bind 127.0.0.1:FRONT
    server s1 `+be+`
`)
	if got := status(t, addr, 8*time.Second); got != http.StatusGatewayTimeout {
		t.Fatalf("status %d, want 504 from timeout server", got)
	}
}

// OSC-HAP-002: in HTTP mode a short `timeout client` does not cut a request
// whose server is still working: the client-side timeout runs while haproxy
// waits for the client, not while it waits for the server.
func TestHAProxyClientTimeoutSparesWorkingServer(t *testing.T) {
	be := slowHTTP(t, 2*time.Second)
	addr := startHAProxy(t, hapGlobal+`    mode http
    timeout client 1s
    timeout server 10s
listen api
    bind 127.0.0.1:FRONT
    server s1 `+be+`
`)
	if got := status(t, addr, 8*time.Second); got != http.StatusOK {
		t.Fatalf("status %d, want 200: timeout client fired while the server worked", got)
	}
}

// idleSurvives opens a TCP connection through addr, exchanges a line,
// stays idle for idle, and reports whether a second exchange works.
func idleSurvives(t *testing.T, addr string, idle time.Duration) bool {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	exchange := func(msg string) bool {
		c.SetDeadline(time.Now().Add(2 * time.Second))
		if _, err := io.WriteString(c, msg+"\n"); err != nil {
			return false
		}
		got, err := r.ReadString('\n')
		return err == nil && got == msg+"\n"
	}
	if !exchange("first") {
		t.Fatal("first exchange through haproxy failed")
	}
	time.Sleep(idle)
	return exchange("second")
}

// OSC-HAP-005 / MQ-001: in TCP mode an idle established connection is cut
// after timeout client/server, unless `timeout tunnel` is set, which then
// replaces both (so a DB or RabbitMQ listener with tunnel 10s keeps a
// connection idle for longer than its 1s client/server timeouts).
func TestHAProxyTunnelTimeoutKeepsIdleTCP(t *testing.T) {
	be := echoTCP(t)
	base := hapGlobal + `    mode tcp
    timeout client 1s
    timeout server 1s
`
	listen := `listen db
    bind 127.0.0.1:FRONT
    server s1 ` + be + "\n"
	without := startHAProxy(t, base+listen)
	if idleSurvives(t, without, 2500*time.Millisecond) {
		t.Fatal("idle connection survived 2.5s with timeout client/server 1s and no tunnel timeout")
	}
	with := startHAProxy(t, base+"    timeout tunnel 10s\n"+listen)
	if !idleSurvives(t, with, 2500*time.Millisecond) {
		t.Fatal("timeout tunnel 10s did not keep a 2.5s idle connection: it should replace client/server once established")
	}
}

// keepAliveRequests sends two requests on one client connection and says
// whether the second was answered on it.
func keepAliveRequests(t *testing.T, addr string, pause time.Duration) (secondOK bool, firstConnHeader string) {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	send := func() (*http.Response, error) {
		c.SetDeadline(time.Now().Add(3 * time.Second))
		if _, err := io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"); err != nil {
			return nil, err
		}
		resp, err := http.ReadResponse(r, nil)
		if err != nil {
			return nil, err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp, nil
	}
	resp, err := send()
	if err != nil {
		t.Fatalf("first request: %v", err)
	}
	time.Sleep(pause)
	_, err = send()
	return err == nil, resp.Header.Get("Connection")
}

// OSC-HAP-003: `option httpclose` on the backend alone closes the server
// side after each response; what it does to the client side on haproxy
// 2.6 is shown here, and set on the frontend it closes the client side.
func TestHAProxyHttpcloseSides(t *testing.T) {
	be := slowHTTP(t, 0)
	base := hapGlobal + `    mode http
    timeout client 5s
    timeout server 5s
    timeout http-keep-alive 5s
`
	backendOnly := startHAProxy(t, base+`frontend fe
    bind 127.0.0.1:FRONT
    default_backend api
backend api
    option httpclose
    server s1 `+be+`
`)
	ok, hdr := keepAliveRequests(t, backendOnly, 0)
	if !ok {
		t.Errorf("backend httpclose: the client connection was closed after the first response (Connection: %q)", hdr)
	}
	frontend := startHAProxy(t, base+`frontend fe
    bind 127.0.0.1:FRONT
    option httpclose
    default_backend api
backend api
    server s1 `+be+`
`)
	if ok, hdr := keepAliveRequests(t, frontend, 0); ok {
		t.Errorf("frontend httpclose: the client connection stayed open (Connection: %q)", hdr)
	}
}

// OSC-HAP-003: an idle client connection is closed after `timeout
// http-keep-alive` even when `timeout client` is longer: the effective idle
// limit is the smaller of the two.
func TestHAProxyKeepAliveIdleIsTheSmaller(t *testing.T) {
	be := slowHTTP(t, 0)
	addr := startHAProxy(t, hapGlobal+`    mode http
    timeout client 10s
    timeout server 10s
    timeout http-keep-alive 1s
listen api
    bind 127.0.0.1:FRONT
    server s1 `+be+`
`)
	if ok, _ := keepAliveRequests(t, addr, 200*time.Millisecond); !ok {
		t.Fatal("a second request 0.2s later was refused: keep-alive should hold for 1s")
	}
	if ok, _ := keepAliveRequests(t, addr, 2500*time.Millisecond); ok {
		t.Fatal("a client idle 2.5s kept its connection: timeout http-keep-alive 1s should have closed it")
	}
}

// OSC-HAP-002: in TCP mode too, a caller waiting for a slow answer is cut
// by `timeout server` only (with no response at all, not a 504); a short
// `timeout client` lets the answer through.
func TestHAProxyTCPModeSlowCallCutByServerTimeoutOnly(t *testing.T) {
	be := slowHTTP(t, 2*time.Second)
	call := func(client, server string) string {
		addr := startHAProxy(t, hapGlobal+"    mode tcp\n    timeout client "+client+"\n    timeout server "+server+
			"\nlisten api\n    bind 127.0.0.1:FRONT\n    server s1 "+be+"\n")
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.SetDeadline(time.Now().Add(6 * time.Second))
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
		b, _ := io.ReadAll(c)
		return string(b)
	}
	if got := call("1s", "10s"); !strings.HasPrefix(got, "HTTP/1.1 200") {
		t.Errorf("TCP mode, timeout client 1s, 2s call: got %q, want the 200 answer", got)
	}
	if got := call("10s", "1s"); got != "" {
		t.Errorf("TCP mode, timeout server 1s, 2s call: got %q, want the connection closed with nothing", got)
	}
}

// OSC-HAP-002 and -005: haproxy reads `timeout server` and `timeout
// tunnel` on the backend side only and `timeout client` on the frontend
// side only; set on the other side they are ignored, with a warning.
func TestHAProxyIgnoresWrongSideTimeouts(t *testing.T) {
	bin := haproxyBin(t)
	f := filepath.Join(t.TempDir(), "haproxy.cfg")
	cfg := hapGlobal + `    mode http
    timeout client 5s
    timeout server 5s
frontend fe
    bind 127.0.0.1:1
    timeout server 1s
    timeout tunnel 1s
    default_backend be
backend be
    timeout client 1s
    server s1 127.0.0.1:2
`
	if err := os.WriteFile(f, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-c", "-f", f).CombinedOutput()
	if err != nil {
		t.Fatalf("haproxy -c: %v\n%s", err, out)
	}
	for _, want := range []string{
		"'timeout server' will be ignored because frontend 'fe' has no backend capability",
		"'timeout tunnel' will be ignored because frontend 'fe' has no backend capability",
		"'timeout client' will be ignored because backend 'be' has no frontend capability",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("haproxy -c did not warn %q:\n%s", want, out)
		}
	}
}

// OSC-HAP-002: what a short HTTP-mode `timeout client` does cut: a client
// that stops reading a long response for longer than it (an image download
// written to a slow disk) gets a truncated body. (A pause while sending a
// request body to a server that waits for it was not cut on 2.6.12.)
func TestHAProxyClientTimeoutCutsStalledDownload(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	const size = 64 << 20 // well above the socket and haproxy buffers
	body := strings.Repeat("x", size)
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, body)
	})}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	addr := startHAProxy(t, hapGlobal+`    mode http
    timeout client 1s
    timeout server 10s
listen api
    bind 127.0.0.1:FRONT
    server s1 `+l.Addr().String()+`
`)
	download := func(pause time.Duration) int64 {
		c, err := net.DialTimeout("tcp", addr, time.Second)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		io.WriteString(c, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
		r := bufio.NewReader(c)
		c.SetDeadline(time.Now().Add(5 * time.Second))
		resp, err := http.ReadResponse(r, nil)
		if err != nil {
			t.Fatalf("response: %v", err)
		}
		time.Sleep(pause)
		c.SetDeadline(time.Now().Add(5 * time.Second))
		n, _ := io.Copy(io.Discard, resp.Body)
		return n
	}
	if n := download(0); n != size {
		t.Fatalf("a reader that never stalls got %d of %d bytes", n, size)
	}
	if n := download(2500 * time.Millisecond); n == size {
		t.Errorf("a reader stalled 2.5s with timeout client 1s got the whole body")
	}
}

// OSC-HAP-008: haproxy 2.6 refuses a configuration with option forceclose
// (fatal since 2.5; 2.0 to 2.4 only warned).
func TestHAProxyRefusesForceclose(t *testing.T) {
	bin := haproxyBin(t)
	f := filepath.Join(t.TempDir(), "haproxy.cfg")
	cfg := hapGlobal + "    mode http\n    timeout client 5s\n    timeout server 5s\n    option forceclose\nlisten api\n    bind 127.0.0.1:1\n    server s1 127.0.0.1:2\n"
	if err := os.WriteFile(f, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "-c", "-f", f).CombinedOutput()
	if err == nil {
		t.Fatalf("haproxy -c accepted option forceclose:\n%s", out)
	}
	if !strings.Contains(string(out), "option 'forceclose' is not supported any more") {
		t.Errorf("haproxy -c refused it for another reason:\n%s", out)
	}
}

// fakeClustercheck answers every connection the way clustercheck under
// xinetd does: an HTTP response, without waiting for a request.
func fakeClustercheck(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			body := "Galera cluster node is synced.\r\n"
			fmt.Fprintf(c, "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
			c.Close()
		}
	}()
	t.Cleanup(func() { l.Close() })
	return l.Addr().(*net.TCPAddr).Port
}

// OSC-HAP-007: `option mysql-check` against clustercheck's HTTP port
// (`check port 9200`) expects a MySQL handshake and gets an HTTP response:
// every check fails and haproxy marks every node DOWN. `option httpchk`
// on the same port keeps them UP.
func TestHAProxyMysqlCheckOnClustercheckPortMarksDown(t *testing.T) {
	db := echoTCP(t) // the node's MySQL port, for the traffic
	cc := fakeClustercheck(t)
	cfg := func(check string) string {
		return hapGlobal + `    mode tcp
    timeout client 5s
    timeout server 5s
    timeout check 1s
listen galera
    bind 127.0.0.1:FRONT
    ` + check + `
    server db1 ` + db + fmt.Sprintf(" check port %d inter 200 rise 1 fall 1\n", cc)
	}
	mysqlChk := startHAProxy(t, cfg("option mysql-check"))
	httpChk := startHAProxy(t, cfg("option httpchk"))
	time.Sleep(1500 * time.Millisecond) // a few check intervals
	if !idleSurvives(t, httpChk, 0) {   // fails the test itself when nothing passes
		t.Fatal("option httpchk against the clustercheck port: traffic did not pass")
	}
	c, err := net.DialTimeout("tcp", mysqlChk, time.Second)
	if err != nil {
		return // refused: no server up
	}
	defer c.Close()
	c.SetDeadline(time.Now().Add(2 * time.Second))
	io.WriteString(c, "ping\n")
	if got, err := bufio.NewReader(c).ReadString('\n'); err == nil {
		t.Fatalf("option mysql-check against the clustercheck port: traffic passed (%q), want every node DOWN", got)
	}
}
