package staffauth

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"
)

// cheap keeps the tests fast; the format and code path are the same.
var cheap = Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func TestHashVerify(t *testing.T) {
	h, err := HashWith("2580", cheap)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=1$") {
		t.Errorf("hash %q is not self-describing", h)
	}
	if strings.Contains(h, "2580") {
		t.Errorf("hash %q holds the PIN", h)
	}
	h2, _ := HashWith("2580", cheap)
	if h == h2 {
		t.Error("two hashes of one PIN are equal: no salt")
	}
	for _, tc := range []struct {
		pin  string
		want bool
	}{{"2580", true}, {"2581", false}, {"25800", false}, {"", false}, {strings.Repeat("9", 100), false}} {
		ok, err := Verify(tc.pin, h)
		if err != nil || ok != tc.want {
			t.Errorf("Verify(%q) = %v, %v; want %v", tc.pin, ok, err, tc.want)
		}
	}
}

func TestDefaultParams(t *testing.T) {
	if testing.Short() {
		t.Skip("64 MiB hash")
	}
	h, err := Hash("123456")
	if err != nil {
		t.Fatal(err)
	}
	p, err := Parse(h)
	if err != nil || p.Params != DefaultParams {
		t.Fatalf("Parse(Hash) = %+v, %v", p, err)
	}
	if ok, _ := Verify("123456", h); !ok {
		t.Error("default hash does not verify")
	}
}

func TestValidPIN(t *testing.T) {
	for _, tc := range []struct {
		pin string
		ok  bool
	}{{"1234", true}, {"123456789012", true}, {"123", false}, {"1234567890123", false},
		{"12a4", false}, {"12 34", false}, {"١٢٣٤", false}, {"", false}} {
		if err := ValidPIN(tc.pin); (err == nil) != tc.ok {
			t.Errorf("ValidPIN(%q) = %v", tc.pin, err)
		}
	}
	if _, err := HashWith("12", cheap); !errors.Is(err, ErrBadPIN) {
		t.Errorf("HashWith short PIN: %v", err)
	}
}

func TestParseRejects(t *testing.T) {
	good, _ := HashWith("2580", cheap)
	parts := strings.Split(good, "$")
	for name, s := range map[string]string{
		"empty":        "",
		"plain":        "2580",
		"bcrypt":       "$2a$10$abcdefghijklmnopqrstuv",
		"argon2i":      strings.Replace(good, "argon2id", "argon2i", 1),
		"version":      strings.Replace(good, "v=19", "v=16", 1),
		"huge memory":  strings.Replace(good, "m=64", "m=4294967295", 1),
		"zero time":    strings.Replace(good, "t=1", "t=0", 1),
		"zero lanes":   strings.Replace(good, "p=1", "p=0", 1),
		"many lanes":   strings.Replace(good, "p=1", "p=256", 1),
		"dup param":    strings.Replace(good, "p=1", "m=64", 1),
		"unknown":      strings.Replace(good, "p=1", "x=1", 1),
		"missing":      strings.Replace(good, ",p=1", "", 1),
		"salt":         strings.Replace(good, parts[4], "!!!", 1),
		"short salt":   strings.Replace(good, parts[4], "AAAA", 1),
		"hash":         strings.Replace(good, parts[5], "???", 1),
		"extra field":  good + "$x",
		"negative":     strings.Replace(good, "t=1", "t=-1", 1),
		"padded salt":  strings.Replace(good, parts[4], parts[4]+"==", 1),
		"no leading $": good[1:],
		// The probe of issue 15: 1 GiB × 64 passes took 197 s to check.
		"1 GiB, 64 passes": strings.Replace(strings.Replace(good, "m=64", "m=1048576", 1), "t=1", "t=64", 1),
		"512 MiB":          strings.Replace(good, "m=64", "m=524288", 1),
		"17 passes":        strings.Replace(good, "t=1", "t=17", 1),
		"17 lanes":         strings.Replace(strings.Replace(good, "p=1", "p=17", 1), "m=64", "m=1024", 1),
		"256 MiB×5":        strings.Replace(strings.Replace(good, "m=64", "m=262144", 1), "t=1", "t=5", 1),
		"memory < 8×lanes": strings.Replace(good, "p=1", "p=16", 1),
		"long salt":        strings.Replace(good, parts[4], strings.Repeat("A", 88), 1),
		"long hash":        strings.Replace(good, parts[5], strings.Repeat("A", 88), 1),
		"short hash":       strings.Replace(good, parts[5], "AAAAAAAAAAA", 1),
	} {
		if _, err := Parse(s); !errors.Is(err, ErrBadHash) {
			t.Errorf("%s: Parse = %v, want ErrBadHash", name, err)
		}
		if ok, err := Verify("2580", s); ok || err == nil {
			t.Errorf("%s: Verify = %v, %v", name, ok, err)
		}
	}
}

func FuzzParse(f *testing.F) {
	good, _ := HashWith("2580", cheap)
	f.Add(good)
	f.Add("$argon2id$v=19$m=65536,t=3,p=2$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g")
	f.Add("$argon2id$v=19$m=1,t=1,p=1$$")
	f.Add("$$$$$")
	f.Add("$argon2id$v=19$m=1048576,t=64,p=1$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g")
	f.Add("$argon2id$v=19$m=262144,t=4,p=16$c2FsdHNhbHRzYWx0$aGFzaGhhc2hoYXNoaGFzaGhhc2g")
	f.Fuzz(func(t *testing.T, s string) {
		p, err := Parse(s)
		if err != nil {
			if !errors.Is(err, ErrBadHash) {
				t.Fatalf("error %v does not wrap ErrBadHash", err)
			}
			// Messages are fixed sentences: they never echo the input.
			if len(err.Error()) > 100 {
				t.Fatalf("error of %d bytes may quote the input: %v", len(err.Error()), err)
			}
			return
		}
		q := p.Params
		if q.Memory > maxMemory || q.Time < 1 || q.Time > maxTime || q.Threads < 1 || q.Threads > maxThreads ||
			uint64(q.Memory)*uint64(q.Time) > maxWork || q.Memory < 8*uint32(q.Threads) ||
			len(p.Salt) < minSaltLen || len(p.Salt) > maxSaltLen || len(p.Key) < minKeyLen || len(p.Key) > maxKeyLen {
			t.Fatalf("accepted out-of-range parameters %+v", p.Params)
		}
	})
}

// The limits admit what Signet writes and what a careful operator might
// choose, and every accepted string is one that HashWith would write.
func TestParseAcceptsWithinLimits(t *testing.T) {
	for _, p := range []Params{
		DefaultParams,
		{Memory: maxMemory, Time: maxWork / maxMemory, Threads: maxThreads, SaltLen: maxSaltLen, KeyLen: maxKeyLen},
		{Memory: maxWork / maxTime, Time: maxTime, Threads: 4, SaltLen: minSaltLen, KeyLen: minKeyLen},
		{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}, // OWASP's argon2id minimum
	} {
		if err := p.check(); err != nil {
			t.Errorf("%+v: %v", p, err)
		}
		b64 := base64.RawStdEncoding
		s := fmt.Sprintf("$argon2id$v=19$m=%d,t=%d,p=%d$%s$%s", p.Memory, p.Time, p.Threads,
			b64.EncodeToString(make([]byte, p.SaltLen)), b64.EncodeToString(make([]byte, p.KeyLen)))
		got, err := Parse(s)
		if err != nil || got.Params != p {
			t.Errorf("Parse(%s) = %+v, %v", s, got, err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	h, _ := Hash("2580")
	b.ReportAllocs()
	for b.Loop() {
		_, _ = Verify("2580", h)
	}
}
