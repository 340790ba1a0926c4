package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// TestGenerated fails while a generated file differs from what the templates
// give: run `go generate ./internal/cmd/gensurface`.
func TestGenerated(t *testing.T) {
	files, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 2*len(Providers) {
		t.Fatalf("%d files, want %d", len(files), 2*len(Providers))
	}
	for path, want := range files {
		got, err := os.ReadFile(filepath.Join("..", "..", "..", path))
		if err != nil {
			t.Errorf("%s: %v (run go generate ./internal/cmd/gensurface)", path, err)
			continue
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s is stale: run go generate ./internal/cmd/gensurface", path)
		}
	}
}
