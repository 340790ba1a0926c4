package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/activitysdk/activity-go/activtrak"
	"github.com/activitysdk/activity-go/analytics"
	"github.com/activitysdk/activity-go/sdelements"
)

// TestKeyVariables checks the table's environment variable names, written
// into the option docs, against the packages' constants.
func TestKeyVariables(t *testing.T) {
	want := map[string]string{
		"sdelements": sdelements.EnvToken,
		"activtrak":  activtrak.EnvAPIKey,
		"analytics":  analytics.EnvToken,
	}
	for _, p := range Providers {
		if p.Key == nil {
			if _, ok := want[p.Pkg]; ok {
				t.Errorf("%s: no Key in the table", p.Pkg)
			}
			continue
		}
		if p.Key.EnvVar != want[p.Pkg] {
			t.Errorf("%s: table says %s is %q, the package says %q", p.Pkg, p.Key.Env, p.Key.EnvVar, want[p.Pkg])
		}
	}
}

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
