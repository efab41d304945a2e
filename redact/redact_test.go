package redact

import (
	"strings"
	"testing"
)

func TestValue(t *testing.T) {
	cases := []struct {
		name, in, want string
		secrets        []string
	}{
		{"connection", "mysql+pymysql://nova:S3cr#et@db.example/nova", "mysql+pymysql://nova:****@db.example/nova", []string{"S3cr#et"}},
		{"transport_url", "rabbit://openstack:pw1@ctl1:5672,openstack:pw2@ctl2:5672//", "rabbit://openstack:****@ctl1:5672,openstack:****@ctl2:5672//", []string{"pw1", "pw2"}},
		{"password", "hunter22", Mask, []string{"hunter22"}},
		{"admin_token", "ADMIN", Mask, []string{"ADMIN"}},
		{"metadata_proxy_shared_secret", "x1y2", Mask, []string{"x1y2"}},
		{"rabbit_password", "guestpw", Mask, []string{"guestpw"}},
		{"wsrep-sst-auth", "sst:pa#ss", Mask, []string{"sst:pa#ss"}},
		{"debug", "true", "true", nil},
		{"auth_url", "http://ctl:5000/v3", "http://ctl:5000/v3", nil},
	}
	for _, c := range cases {
		got, sec := Value(c.name, c.in)
		if got != c.want || strings.Join(sec, ",") != strings.Join(c.secrets, ",") {
			t.Errorf("Value(%q, %q) = %q %v, want %q %v", c.name, c.in, got, sec, c.want, c.secrets)
		}
	}
}

func TestScrubber(t *testing.T) {
	s := NewScrubber([]string{"abc", "NOVA_DBPASS", "NOVA_DBPASS_LONG", Mask})
	got := s.String("x NOVA_DBPASS_LONG y NOVA_DBPASS z abc")
	if got != "x **** y **** z abc" {
		t.Errorf("got %q", got)
	}
	var nilS *Scrubber
	if nilS.String("a") != "a" {
		t.Error("nil scrubber must pass through")
	}
}
