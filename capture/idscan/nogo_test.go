package idscan

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"testing"
)

// make test runs this package without the race detector, because nothing
// here starts a goroutine: this test keeps it so. A go statement added
// here, in code or in a test, moves the package back into the -race run
// (the Makefile's test target) before this test is changed.
func TestStartsNoGoroutine(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no Go files: %v", err)
	}
	fset := token.NewFileSet()
	for _, name := range files {
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			if g, ok := n.(*ast.GoStmt); ok {
				t.Errorf("%s: a go statement; run this package under -race again (Makefile, test)", fset.Position(g.Pos()))
			}
			return true
		})
	}
}
