package localeenv

import (
	"go/parser"
	"go/token"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct {
		env  map[string]string
		want string // LANGUAGE afterwards; "-" when left unset
	}{
		{map[string]string{"LANG": "C.UTF-8"}, "en"},
		{map[string]string{"LANG": "C.utf8"}, "en"},
		{map[string]string{"LC_ALL": "POSIX.UTF-8", "LANG": "fr_FR.UTF-8"}, "en"},
		{map[string]string{"LC_MESSAGES": "C.UTF-8"}, "en"},
		{map[string]string{"LANG": "C"}, "-"},           // go-locale reports nothing: no error
		{map[string]string{"LANG": "POSIX"}, "-"},       // likewise
		{map[string]string{}, "-"},                      // likewise
		{map[string]string{"LANG": "en_US.UTF-8"}, "-"}, // a real language is left alone
		{map[string]string{"LANG": "de_DE.UTF-8", "LANGUAGE": "fr:de"}, "fr:de"},
		{map[string]string{"LANG": "de_DE.UTF-8", "LANGUAGE": "fr:C.UTF-8::de"}, "fr:de"},
		{map[string]string{"LANG": "C.UTF-8", "LANGUAGE": "C"}, "en"},
		{map[string]string{"LC_ALL": "C", "LANGUAGE": "C.UTF-8"}, "C.UTF-8"}, // ignored under LC_ALL=C
	}
	for _, tt := range tests {
		env := map[string]string{}
		for k, v := range tt.env {
			env[k] = v
		}
		Normalize(func(k string) string { return env[k] }, func(k, v string) error { env[k] = v; return nil })
		got, ok := env["LANGUAGE"]
		if !ok {
			got = "-"
		}
		if got != tt.want {
			t.Errorf("%v: LANGUAGE = %q, want %q", tt.env, got, tt.want)
		}
		for k, v := range tt.env {
			if k != "LANGUAGE" && env[k] != v {
				t.Errorf("%v: %s changed to %q", tt.env, k, env[k])
			}
		}
	}
}

// TestImportsOnlyOS guards the init-order argument in the package comment.
func TestImportsOnlyOS(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "localeenv.go", nil, parser.ImportsOnly)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, imp := range f.Imports {
		got = append(got, imp.Path.Value)
	}
	if len(got) != 1 || got[0] != `"os"` {
		t.Errorf("localeenv.go imports %v; it must import only os to run before Fyne's init", got)
	}
}
