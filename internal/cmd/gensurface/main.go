// Command gensurface writes the shared surface of the provider packages: the
// declarations that every provider package P offers under the same names and
// with the same meaning (Option and the common With* options, the option
// of a package's one secret, RetryPolicy, ValidationError, RequestError,
// ErrorInfo, the sentinels, Pager and Page, Region, and newCore, the common
// half of NewClient) and the shared methods of every fake P/Ptest.Server (FailNext,
// FailRandomly, Requests, ...).
//
// They are defined once, in provider.go.tmpl and fake.go.tmpl next to this
// file, and written to P/shared_gen.go and P/Ptest/shared_gen.go. They are
// generated rather than aliased because `go doc` neither follows a type
// alias nor shows a method or field promoted through an embedded field: with
// declarations in each package, `go doc ./workiva Pager.All` and
// `go doc ./workiva/workivatest Server.FailNext` print their docs. The
// behaviour behind every declaration lives once, in internal/core,
// internal/paging and internal/fakeserver; the generated code only forwards.
//
// Run it from the module root with `go generate ./internal/cmd/gensurface`
// after editing a template or the table below; TestGenerated fails while a
// generated file is stale.
package main

//go:generate go run . -root ../../..

import (
	"bytes"
	_ "embed"
	"flag"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"text/template"
)

// Provider is one row of the table: what a provider package has of the
// shared surface.
type Provider struct {
	// Pkg is the package name and directory ("workiva").
	Pkg string
	// Lists: the package has list operations, so Pager, Page, the list
	// helper and WithReadAhead.
	Lists bool
	// Feeds: the package has event feeds (checkpointed walks), so the feed
	// helper over paging.NewFeed.
	Feeds bool
	// Links: next-page links are followed, so ErrForeignLink.
	Links bool
	// Regions: the package has data regions, so Region and WithRegion (the
	// package declares its regions table and Region constants in region.go).
	Regions bool
	// OwnBaseURL: the package declares WithBaseURL itself (sdelements, whose
	// instance URL has a rule of its own).
	OwnBaseURL bool
	// TokenSource: the package takes OAuth2 bearer tokens from a token
	// source, so WithTokenSource (into options.source).
	TokenSource bool
	// OwnRequests: the fake declares Server.Requests itself (workivatest
	// keeps token endpoint requests apart).
	OwnRequests bool
	// Key: the package authenticates with one secret, set by an option
	// or else read from an environment variable; nil where the package has
	// credential rules of its own (close takes a key or a token source,
	// workiva a client id and secret or a token source).
	Key *Key
	// BaseURLEnv: NewClient reads the base URL from the package's
	// EnvBaseURL variable when neither WithBaseURL nor WithRegion is given.
	BaseURLEnv bool
}

// Key describes a package's one secret.
type Key struct {
	// Field is the options field, a core.Credential ("token").
	Field string
	// Option is the option that sets it ("WithToken").
	Option string
	// Env is the constant naming the environment variable ("EnvToken"),
	// and EnvVar its value, for the docs (a test checks the two agree).
	Env, EnvVar string
	// What names the secret in errors ("token").
	What string
	// Desc names it in the option's doc ("API token").
	Desc string
	// Sent says how requests carry it, for the option's doc.
	Sent string
	// Note is more of the option's doc, if any.
	Note string
}

// Providers is the table.
var Providers = []Provider{
	{Pkg: "close", TokenSource: true},
	{Pkg: "sdelements", Lists: true, Feeds: true, Links: true, OwnBaseURL: true, BaseURLEnv: true,
		Key: &Key{Field: "token", Option: "WithToken", Env: "EnvToken", EnvVar: "SDE_API_TOKEN", What: "token", Desc: "API token",
			Sent: `as "Authorization: Token <token>" (the token as shown in the SD Elements user settings, without quotes)`}},
	{Pkg: "workiva", Lists: true, Feeds: true, Links: true, Regions: true, TokenSource: true, OwnRequests: true},
	{Pkg: "activtrak", Lists: true, Feeds: true, Regions: true,
		Key: &Key{Field: "key", Option: "WithAPIKey", Env: "EnvAPIKey", EnvVar: "ACTIVTRAK_API_KEY", What: "key", Desc: "Live Data API key",
			Sent: `in the "x-api-key" header (the current public contract), or as "Authorization: Bearer <key>" under WithEarlyAccess`,
			Note: "The key's web user decides which data the API returns."}},
	{Pkg: "analytics", Lists: true, BaseURLEnv: true,
		Key: &Key{Field: "token", Option: "WithToken", Env: "EnvToken", EnvVar: "ANALYTICS_API_TOKEN", What: "token", Desc: "API token",
			Sent: `as "Authorization: Bearer <token>"`}},
}

var (
	//go:embed provider.go.tmpl
	providerTmpl string
	//go:embed fake.go.tmpl
	fakeTmpl string
)

// FileName is the name of every generated file.
const FileName = "shared_gen.go"

// Generate returns the generated files, by path relative to the module root.
func Generate() (map[string][]byte, error) {
	pt, err := template.New("provider").Parse(providerTmpl)
	if err != nil {
		return nil, err
	}
	ft, err := template.New("fake").Parse(fakeTmpl)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, p := range Providers {
		for _, f := range []struct {
			t    *template.Template
			path string
		}{
			{pt, filepath.Join(p.Pkg, FileName)},
			{ft, filepath.Join(p.Pkg, p.Pkg+"test", FileName)},
		} {
			var b bytes.Buffer
			if err := f.t.Execute(&b, p); err != nil {
				return nil, fmt.Errorf("%s: %w", f.path, err)
			}
			src, err := format.Source(b.Bytes())
			if err != nil {
				return nil, fmt.Errorf("%s: %w\n%s", f.path, err, b.Bytes())
			}
			out[f.path] = src
		}
	}
	return out, nil
}

func main() {
	root := flag.String("root", ".", "the module root")
	flag.Parse()
	files, err := Generate()
	if err != nil {
		fmt.Fprintln(os.Stderr, "gensurface:", err)
		os.Exit(1)
	}
	for path, src := range files {
		if err := os.WriteFile(filepath.Join(*root, path), src, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "gensurface:", err)
			os.Exit(1)
		}
	}
}
