package staffauth

import (
	"errors"
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
		if p.Params.Memory > maxMemory || p.Params.Time > maxTime || len(p.Salt) < minSaltLen || len(p.Key) < minKeyLen {
			t.Fatalf("accepted out-of-range parameters %+v", p.Params)
		}
	})
}

func BenchmarkVerify(b *testing.B) {
	h, _ := Hash("2580")
	b.ReportAllocs()
	for b.Loop() {
		_, _ = Verify("2580", h)
	}
}
