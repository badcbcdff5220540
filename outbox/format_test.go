package outbox

import (
	"bytes"
	"errors"
	"testing"
	"time"
)

func sealed(t testing.TB, k Key, h header, payload []byte) []byte {
	t.Helper()
	aead, err := k.aead()
	if err != nil {
		t.Fatal(err)
	}
	b, err := seal(aead, &h, payload)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSealOpenRoundTrip(t *testing.T) {
	k := testKey(t)
	aead, _ := k.aead()
	id, _ := newItemID()
	created := time.Date(2026, 11, 23, 10, 0, 0, 123, time.UTC)
	tests := []struct {
		name string
		h    header
		p    []byte
	}{
		{"queued", header{state: stateQueued, keyID: k.id(), id: id, created: created, kind: KindSignature}, []byte("payload")},
		{"empty payload", header{state: stateQueued, keyID: k.id(), id: id, created: created, kind: "a"}, nil},
		{"dead", header{state: stateDead, keyID: k.id(), id: id, created: created, failed: created.Add(time.Hour), kind: KindMewsIdentityDocument, code: "INVALID_PARAM_FILES"}, bytes.Repeat([]byte{0, 1, 2}, 1000)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b := sealed(t, k, tc.h, tc.p)
			h, p, err := open(aead, k.id(), b)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(p, tc.p) {
				t.Errorf("payload = %q", p)
			}
			if h.id != tc.h.id || h.kind != tc.h.kind || h.code != tc.h.code || h.state != tc.h.state ||
				!h.created.Equal(tc.h.created) || !h.failed.Equal(tc.h.failed) {
				t.Errorf("header = %+v, want %+v", h, tc.h)
			}
		})
	}
}

// TestOpenRejects checks that every byte is covered: flipping any one of
// them, or cutting the file anywhere, makes the item unreadable.
func TestOpenRejects(t *testing.T) {
	k := testKey(t)
	aead, _ := k.aead()
	id, _ := newItemID()
	b := sealed(t, k, header{state: stateQueued, keyID: k.id(), id: id, created: time.Now(), kind: "test.x", code: "C"}, []byte("secret payload"))
	for i := range b {
		c := bytes.Clone(b)
		c[i] ^= 0x01
		if _, _, err := open(aead, k.id(), c); err == nil {
			t.Errorf("flipping byte %d went unnoticed", i)
		}
	}
	for n := 0; n < len(b); n++ {
		if _, _, err := open(aead, k.id(), b[:n]); err == nil {
			t.Errorf("cut at %d went unnoticed", n)
		}
	}
	other := testKey(t)
	oaead, _ := other.aead()
	if _, _, err := open(oaead, other.id(), b); !errors.Is(err, ErrOtherKey) {
		t.Errorf("other key: %v", err)
	}
	v := bytes.Clone(b)
	v[4] = 9
	if _, _, err := open(aead, k.id(), v); !errors.Is(err, ErrVersion) {
		t.Errorf("version 9: %v", err)
	}
}

func TestParseItemID(t *testing.T) {
	id, _ := newItemID()
	tests := []struct {
		in string
		ok bool
	}{
		{id.String(), true},
		{"00112233445566778899aabbccddeeff", true},
		{"00112233445566778899AABBCCDDEEFF", false},
		{"00112233445566778899aabbccddeef", false},
		{"00112233445566778899aabbccddeefg", false},
		{"", false},
	}
	for _, tc := range tests {
		if _, ok := parseItemID(tc.in); ok != tc.ok {
			t.Errorf("parseItemID(%q) ok = %v", tc.in, ok)
		}
	}
}

func TestKindValidate(t *testing.T) {
	tests := []struct {
		k  Kind
		ok bool
	}{
		{KindSignature, true}, {KindIdentityDocument, true}, {KindMewsIdentityDocument, true},
		{"", false}, {"Upper", false}, {"with space", false}, {"é", false},
		{Kind(bytes.Repeat([]byte("a"), 64)), true}, {Kind(bytes.Repeat([]byte("a"), 65)), false},
	}
	for _, tc := range tests {
		if err := tc.k.Validate(); (err == nil) != tc.ok {
			t.Errorf("Kind(%q).Validate() = %v", tc.k, err)
		}
	}
}
