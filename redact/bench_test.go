package redact

import (
	"strings"
	"testing"
)

// BenchmarkCommand is the per-job cost of masking a cron command, which
// crontab views pay once per line.
func BenchmarkCommand(b *testing.B) {
	cmds := []string{
		"/usr/bin/keystone-manage token_flush >/var/log/keystone/flush.log 2>&1",
		"mysqldump --single-transaction -uroot -pS3cret nova | gzip > /var/backups/nova.sql.gz",
		"test -x /usr/sbin/anacron || ( cd / && run-parts --report /etc/cron.daily )",
	}
	for i := 0; i < b.N; i++ {
		Command(cmds[i%len(cmds)])
	}
}

// BenchmarkScrub is the last-chance scrub of a 1 MiB text with 1000 known
// secrets.
func BenchmarkScrub(b *testing.B) {
	var secrets []string
	for i := 0; i < 1000; i++ {
		secrets = append(secrets, "Secret-"+strings.Repeat("x", i%7)+string(rune('a'+i%26))+"-"+string(rune('A'+i/26%26)))
	}
	s := NewScrubber(secrets)
	text := strings.Repeat("connection = mysql+pymysql://nova:Secret-xxa-A@db1/nova keystone_admin_cluster\n", 1<<20/80)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		s.String(text)
	}
}
