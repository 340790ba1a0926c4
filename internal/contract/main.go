package contract

import (
	"fmt"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/activitysdk/activity-go/internal/fakeserver"
)

// Docs maps the contract names that fakes declare (fakeserver.Config.Contract,
// such as "workiva") to the documents that describe them.
type Docs map[string]Source

// Source is an OpenAPI file, relative to the package directory
// ("testdata/workiva.openapi.yaml"), and the options to apply it with.
type Source struct {
	Path    string
	Options []Option
}

// File returns the Source for path with opts.
func File(path string, opts ...Option) Source { return Source{Path: path, Options: opts} }

// TestingM is what Main runs: *testing.M.
type TestingM interface{ Run() int }

// Runner runs a package's tests with every fake's traffic checked; it has
// the Run method that goleak.VerifyTestMain and os.Exit-style TestMains want.
type Runner struct {
	m    TestingM
	docs Docs
}

// Main returns a Runner for TestMain:
//
//	func TestMain(m *testing.M) {
//		goleak.VerifyTestMain(contract.Main(m, contract.Docs{
//			"workiva": contract.File("testdata/workiva.openapi.yaml", contract.FreeForm("attachments")),
//		}))
//	}
//
// While the tests run, every fake started through internal/fakeserver serves
// through a checker for the document its contract names: every request and
// every answer is validated (see the package documentation for the
// exemptions). A fake whose contract has no document, or none, fails the run:
// every fake a package's tests start must be held to a description.
func Main(m TestingM, docs Docs) *Runner { return &Runner{m: m, docs: docs} }

// Run loads the documents, installs the hook, runs the tests and returns
// their exit code, or 1 when a document does not load or a violation was not
// attributed to a test (Bind). It prints each document's counts with -v, or
// always when the environment variable CONTRACT_COUNTS is set.
func (r *Runner) Run() int {
	loaded := map[string]*Doc{}
	names := make([]string, 0, len(r.docs))
	for name, src := range r.docs {
		d, err := Parse(src.Path, src.Options...)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		loaded[name] = d
		names = append(names, name)
	}
	sort.Strings(names)
	run := &runLog{}
	restore := fakeserver.SetContractHook(func(contract string, h http.Handler) http.Handler {
		d := loaded[contract]
		if d == nil {
			run.Errorf("contract: a fake declares contract %q, which this test binary has no document for (have %s)", contract, strings.Join(names, ", "))
			return h
		}
		return d.handler(func(req *http.Request) reporter {
			if t := bound(req.Host); t != nil {
				return t
			}
			return run
		}, h)
	})
	code := r.m.Run()
	restore()
	if testing.Verbose() || os.Getenv("CONTRACT_COUNTS") != "" {
		for _, name := range names {
			s := loaded[name].Stats()
			fmt.Printf("contract %s (%s): %d requests and %d answers validated; %d answers exempt (faults), %d with an undocumented status\n",
				name, loaded[name].path, s.Requests, s.Answers, s.Exempt, s.Undocumented)
		}
	}
	if errs := run.errors(); len(errs) > 0 {
		fmt.Fprintf(os.Stderr, "contract: %d violations outside any bound test:\n", len(errs))
		for _, e := range errs {
			fmt.Fprintln(os.Stderr, "  "+e)
		}
		return 1
	}
	return code
}

// runLog collects violations no test is bound to.
type runLog struct {
	mu   sync.Mutex
	errs []string
}

func (l *runLog) Helper() {}

func (l *runLog) Errorf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.errs) < 1000 {
		l.errs = append(l.errs, fmt.Sprintf(format, args...))
	}
}

func (l *runLog) errors() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]string(nil), l.errs...)
}

var (
	bindMu sync.Mutex
	binds  = map[string]testing.TB{}
)

// Bind attributes the contract violations of the fake at serverURL to t
// until t ends: they fail t (t.Errorf) instead of the whole run. Call it
// right after starting the fake and registering its Close with t.Cleanup.
// A test helper that starts fakes is the place for it.
func Bind(t testing.TB, serverURL string) {
	t.Helper()
	u, err := url.Parse(serverURL)
	if err != nil || u.Host == "" {
		t.Fatalf("contract.Bind: not a server URL: %q", serverURL)
		return
	}
	bindMu.Lock()
	binds[u.Host] = t
	bindMu.Unlock()
	t.Cleanup(func() {
		bindMu.Lock()
		if binds[u.Host] == t {
			delete(binds, u.Host)
		}
		bindMu.Unlock()
	})
}

func bound(host string) testing.TB {
	bindMu.Lock()
	defer bindMu.Unlock()
	return binds[host]
}
