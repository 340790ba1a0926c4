package reliability_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/activitysdk/activity-go/activtrak"
	"github.com/activitysdk/activity-go/activtrak/activtraktest"
	"github.com/activitysdk/activity-go/internal/core"
	"github.com/activitysdk/activity-go/internal/fakeserver"
	"github.com/activitysdk/activity-go/sdelements"
	"github.com/activitysdk/activity-go/sdelements/sdelementstest"
	"github.com/activitysdk/activity-go/workiva"
	"github.com/activitysdk/activity-go/workiva/workivatest"
)

// credFake is what every provider fake offers for fault injection.
type credFake interface {
	FailNext(faults ...fakeserver.Fault)
	ClearFaults()
	Requests() []fakeserver.Request
}

// credRig is one provider and credential kind, set up behind an echoing
// proxy.
type credRig struct {
	fake  credFake
	proxy *credProxy
	// base is the client's base URL: the proxy (with the fake's base path).
	base string
	// basePath is the fake's base path ("" or "/api/v1", "/v2").
	basePath string
	// static are the configured secrets, raw and encoded, the wrong ones
	// included.
	static []string
	// call builds a fresh client on base with the good credential (or a
	// wrong one) and the logger, and runs a representative set of
	// operations: walks to the end, single calls, a streamed body.
	call func(ctx context.Context, base string, wrong bool, log *slog.Logger) error
	// bad runs an operation with invalid parameters.
	bad func(ctx context.Context, base string, log *slog.Logger) error
	// tokenPath is the token endpoint's path (workiva client credentials).
	tokenPath string
	// withTokenURL is call with the token endpoint at tokenURL.
	withTokenURL func(ctx context.Context, tokenURL string, log *slog.Logger) error
}

// credRigCase names a credential rig of one provider.
type credRigCase struct {
	name  string
	setup func(t *testing.T) *credRig
}

// credRigs lists the credential kinds of every provider (providers_test.go).
func credRigs() []credRigCase {
	var out []credRigCase
	for _, p := range providers() {
		out = append(out, p.rigs...)
	}
	return out
}

// credStatuses are the error answers a server may quote credentials in.
var credStatuses = []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden, http.StatusNotFound,
	http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusBadGateway}

// TestCredentialsNeverInErrorsLogsOrPanics drives every provider and
// credential kind through a run of successes, retries and failures, many of
// them answered by a server that quotes the credentials it received (in the
// provider's error shape, HTML or text, and in X-Request-Id), and checks that
// no secret (raw, Basic-encoded, or an access token issued on the way) shows
// in any error string, in any log line at Debug level, or in a panic.
func TestCredentialsNeverInErrorsLogsOrPanics(t *testing.T) {
	t.Parallel()
	for _, tc := range credRigs() {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rig := tc.setup(t)
			log, sink := credLogger()
			var texts []string
			echoes := 0
			const (
				wantOK = iota
				wantErr
				wantAny
			)
			run := func(name string, want int, fn func(ctx context.Context) error) int {
				t.Helper()
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				var err error
				credNoPanic(t, name, rig.static, func() { err = fn(ctx) })
				text := credErrText(err)
				texts = append(texts, name+": "+text)
				masked := credMask(text, append(rig.static, rig.proxy.seen()...))
				switch {
				case want == wantOK && err != nil:
					t.Errorf("%s: unexpected error: %s", name, masked)
				case want == wantErr && err == nil:
					t.Errorf("%s: no error", name)
				}
				rig.fake.ClearFaults()
				n := rig.proxy.disarm()
				echoes += n
				return n
			}
			call := func(ctx context.Context) error { return rig.call(ctx, rig.base, false, log) }

			run("ok", wantOK, call)
			// Transient failures, two of them quoting the credentials, all
			// retried away.
			run("transient", wantOK, func(ctx context.Context) error {
				rig.proxy.arm("", http.StatusServiceUnavailable, credShapeCodeMessage, 1)
				rig.proxy.arm("", http.StatusTooManyRequests, credShapeErrorString, 1)
				rig.fake.FailNext(fakeserver.FaultDrop, fakeserver.FaultTruncate, fakeserver.Fault502)
				return call(ctx)
			})
			for _, status := range credStatuses {
				for shape := range credShapes {
					name := "echo " + http.StatusText(status) + " shape " + string(rune('0'+shape))
					echoed := run(name, wantErr, func(ctx context.Context) error {
						rig.proxy.arm("", status, shape, 100)
						return call(ctx)
					})
					if echoed == 0 {
						t.Errorf("%s: the echo was never answered", name)
					}
				}
			}
			for shape := range credShapes {
				run("echo 200 shape "+string(rune('0'+shape)), wantAny, func(ctx context.Context) error {
					rig.proxy.arm("", http.StatusOK, shape, 1)
					return call(ctx)
				})
			}
			run("wrong credential", wantErr, func(ctx context.Context) error { return rig.call(ctx, rig.base, true, log) })
			run("connection refused", wantErr, func(ctx context.Context) error {
				return rig.call(ctx, credClosedURL(t)+rig.basePath, false, log)
			})
			run("dropped connections", wantErr, func(ctx context.Context) error {
				rig.fake.FailNext(fakeserver.FaultDrop, fakeserver.FaultDrop, fakeserver.FaultDrop, fakeserver.FaultDrop,
					fakeserver.FaultDrop, fakeserver.FaultDrop, fakeserver.FaultDrop, fakeserver.FaultDrop)
				return call(ctx)
			})
			run("deadline", wantErr, func(ctx context.Context) error {
				ctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
				defer cancel()
				rig.fake.FailNext(fakeserver.Fault{Kind: fakeserver.Slow, Delay: 10 * time.Second})
				return call(ctx)
			})
			run("invalid params", wantErr, func(ctx context.Context) error { return rig.bad(ctx, rig.base, log) })

			if rig.tokenPath != "" {
				for _, status := range []int{http.StatusBadRequest, http.StatusUnauthorized, http.StatusForbidden,
					http.StatusTooManyRequests, http.StatusInternalServerError, http.StatusServiceUnavailable} {
					for shape := range credShapes {
						name := "token endpoint " + http.StatusText(status) + " shape " + string(rune('0'+shape))
						echoed := run(name, wantErr, func(ctx context.Context) error {
							rig.proxy.arm(rig.tokenPath, status, shape, 100)
							return call(ctx)
						})
						if echoed == 0 {
							t.Errorf("%s: the echo was never answered", name)
						}
					}
				}
				for shape := range credShapes {
					run("token endpoint 200 shape "+string(rune('0'+shape)), wantErr, func(ctx context.Context) error {
						rig.proxy.arm(rig.tokenPath, http.StatusOK, shape, 100)
						return call(ctx)
					})
				}
				run("token endpoint refused", wantErr, func(ctx context.Context) error {
					return rig.withTokenURL(ctx, credClosedURL(t)+rig.tokenPath, log)
				})
				run("token endpoint deadline", wantErr, func(ctx context.Context) error {
					ctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
					defer cancel()
					rig.fake.FailNext(fakeserver.Fault{Kind: fakeserver.Slow, Delay: 10 * time.Second, Path: rig.tokenPath})
					return call(ctx)
				})
			}

			secrets := append(append([]string(nil), rig.static...), rig.proxy.seen()...)
			if len(rig.proxy.seen()) == 0 {
				t.Fatal("no credential passed through the proxy: the test checks nothing")
			}
			for _, text := range texts {
				credClean(t, "error", text, secrets)
			}
			logs := sink.String()
			credClean(t, "log", logs, secrets)
			if !strings.Contains(logs, `"level":"INFO"`) || !strings.Contains(logs, "retry") {
				t.Errorf("the log holds no retry event; is the logger wired? (%d bytes)", len(logs))
			}
			for _, r := range rig.fake.Requests() {
				credClean(t, "request URL", r.RawPath+"?"+r.RawQuery, secrets)
			}
			t.Logf("%d runs, %d echoing answers, %d secrets tracked, %d log bytes checked",
				len(texts), echoes, len(secrets), len(logs))
		})
	}
}

// credMask replaces every secret in s.
func credMask(s string, secrets []string) string {
	for _, sec := range secrets {
		if sec != "" {
			s = strings.ReplaceAll(s, sec, "<SECRET>")
		}
	}
	return s
}

// TestCredentialsNotInNewClientErrors: credential and URL values that
// NewClient rejects are never echoed in its error.
func TestCredentialsNotInNewClientErrors(t *testing.T) {
	const s1, s2, s3 = "pw-SECRET-b7c1", "q-SECRET-d4e2", "f-SECRET-a9f3"
	badURLs := []string{
		"https://user:" + s1 + "@api.example.com",
		"http://user:" + s1 + "@api.example.com",
		"ftp://user:" + s1 + "@api.example.com",
		"https://api.example.com/?api_key=" + s2,
		"https://api.example.com/?token=" + s2 + "&x=1",
		"https://api.example.com/#access_token=" + s3,
		"http://api.example.com/?secret=" + s2,
		"http://api.example.com/#token=" + s3,
		"https://user:" + s1 + "@api.example.com/%zz",
		"https://api.example.com/%zz?token=" + s2,
	}
	secrets := []string{s1, s2, s3}
	type mk = func() error
	type tc struct {
		name      string
		fn        mk
		mayAccept bool // a valid value: only its error, if any, is checked
	}
	var cases []tc
	add := func(name string, fn mk) { cases = append(cases, tc{name: name, fn: fn}) }
	for _, p := range providers() {
		if p.secretCases != nil {
			p.secretCases(t, secretAdder{add: add, addMay: func(name string, fn func() error) {
				cases = append(cases, tc{name: name, mayAccept: true, fn: fn})
			}}, badURLs, s1, s2)
		}
	}
	for _, c := range cases {
		var err error
		credNoPanic(t, c.name, secrets, func() { err = c.fn() })
		if err == nil {
			if !c.mayAccept {
				t.Errorf("%s: NewClient accepted it", c.name)
			}
			continue
		}
		credClean(t, c.name, err.Error(), secrets)
	}
}

// TestCredentialsNextLinkToAnotherHost: a next link that points to another
// host (another server, or the same loopback server under another name) ends
// the walk with an error wrapping ErrForeignLink after the first page, and
// the other host receives nothing.
func TestCredentialsNextLinkToAnotherHost(t *testing.T) {
	t.Parallel()
	other := credNewHost(t)
	for _, linkBase := range []string{other.URL, credLocalhostURL(t, other.URL)} {
		t.Run("sdelements "+linkBase, func(t *testing.T) {
			srv := sdelementstest.NewServer(sdelementstest.WithActivities(60), sdelementstest.WithLinkBase(linkBase))
			defer srv.Close()
			c, err := sdelements.NewClient(sdelements.WithBaseURL(srv.URL), sdelements.WithToken(sdelementstest.Token))
			if err != nil {
				t.Fatal(err)
			}
			items, err := credWalk(c.ListActivities(context.Background(), &sdelements.ListActivitiesParams{PageSize: 25}).All())
			if !errors.Is(err, sdelements.ErrForeignLink) {
				t.Errorf("walk error = %v, want ErrForeignLink", err)
			}
			if items != 25 {
				t.Errorf("got %d items before the error, want the first page's 25", items)
			}
			if n := len(srv.Requests()); n != 1 {
				t.Errorf("the fake received %d requests, want 1", n)
			}
			credClean(t, "error", credErrText(err), []string{sdelementstest.Token})
		})
		t.Run("workiva "+linkBase, func(t *testing.T) {
			srv := workivatest.NewServer(workivatest.WithNextLinkBase(linkBase))
			defer srv.Close()
			c, err := workiva.NewClient(workiva.WithBaseURL(srv.URL),
				workiva.WithClientCredentials(workivatest.ClientID, workivatest.ClientSecret))
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			p := &workiva.ListActivitiesParams{PageSize: 50}
			walks := map[string]func() (int, error){
				"organization": func() (int, error) {
					return credWalk(c.ListOrganizationActivities(ctx, workivatest.OrganizationID, p).All())
				},
				"workspace": func() (int, error) {
					return credWalk(c.ListWorkspaceActivities(ctx, workivatest.OrganizationID, workivatest.WorkspaceA, p).All())
				},
				"actions": func() (int, error) {
					return credWalk(c.ListActivityActions(ctx, &workiva.ListActivityActionsParams{PageSize: 5}).All())
				},
			}
			for name, walk := range walks {
				before := len(srv.Requests())
				items, err := walk()
				if !errors.Is(err, workiva.ErrForeignLink) {
					t.Errorf("%s: walk error = %v, want ErrForeignLink", name, err)
				}
				if items == 0 {
					t.Errorf("%s: no item before the error", name)
				}
				if n := len(srv.Requests()) - before; n != 1 {
					t.Errorf("%s: the fake received %d requests, want 1", name, n)
				}
				credClean(t, name+" error", credErrText(err), credWorkivaSecrets(srv))
			}
		})
	}
	other.requireUntouched(t, "next links")
}

// credWorkivaSecrets are the fake's client secret, its Basic form and every
// access token it was sent.
func credWorkivaSecrets(srv *workivatest.Server) []string {
	out := []string{workivatest.ClientSecret, credBasic(workivatest.ClientID, workivatest.ClientSecret)}
	for _, r := range srv.Requests() {
		if _, tok, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok {
			out = append(out, tok)
		}
	}
	return out
}

// credWalk ranges over a walk and returns the items before the first error.
func credWalk[T any](seq func(func(T, error) bool)) (int, error) {
	n := 0
	for _, err := range seq {
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// TestCredentialsPageTokenToAnotherHost: a PageToken given to resume a walk
// that points elsewhere is a *ValidationError for PageToken (wrapping
// ErrForeignLink when it names another host), before any request: neither
// the fake nor the other host hears of it.
func TestCredentialsPageTokenToAnotherHost(t *testing.T) {
	t.Parallel()
	other := credNewHost(t)
	otherHost := strings.TrimPrefix(other.URL, "http://")

	sde := sdelementstest.NewServer()
	t.Cleanup(sde.Close)
	wk := workivatest.NewServer()
	t.Cleanup(wk.Close)
	at := activtraktest.NewServer()
	t.Cleanup(at.Close)

	tokens := func(own, list string) map[string]bool { // token -> wraps ErrForeignLink
		ownHost := strings.TrimPrefix(own, "http://")
		return map[string]bool{
			other.URL + list + "?page=2":                                true,
			credLocalhostURL(t, other.URL) + list + "?page=2":           true,
			credLocalhostURL(t, own) + list + "?page=2":                 true,
			"//" + otherHost + list + "?page=2":                         true,
			"https://" + ownHost + list + "?page=2":                     true,
			"http://user:pw@" + ownHost + list + "?page=2":              true,
			"http://" + ownHost + "@" + otherHost + list + "?page=2":    true,
			"  " + other.URL + list + "?page=2":                         true,
			"HTTP://" + otherHost + list + "?page=2":                    true,
			"http://" + otherHost + "\\@" + ownHost + list + "?page=2":  false,
			"http://" + otherHost + "%2F@" + ownHost + list + "?page=2": false,
			"http://" + otherHost + "\n" + list:                         false,
		}
	}

	t.Run("sdelements", func(t *testing.T) {
		c, err := sdelements.NewClient(sdelements.WithBaseURL(sde.URL), sdelements.WithToken(sdelementstest.Token))
		if err != nil {
			t.Fatal(err)
		}
		for tok, foreign := range tokens(sde.URL, "/api/v2/activities/") {
			_, err := credWalk(c.ListActivities(context.Background(), &sdelements.ListActivitiesParams{PageToken: tok}).All())
			credCheckTokenErr(t, tok, err, "PageToken", foreign, sdelements.ErrForeignLink)
		}
		if n := len(sde.Requests()); n != 0 {
			t.Errorf("the fake received %d requests", n)
		}
	})
	t.Run("workiva", func(t *testing.T) {
		c, err := workiva.NewClient(workiva.WithBaseURL(wk.URL),
			workiva.WithClientCredentials(workivatest.ClientID, workivatest.ClientSecret))
		if err != nil {
			t.Fatal(err)
		}
		list := "/organizations/" + workivatest.OrganizationID + "/activities"
		for tok, foreign := range tokens(wk.URL, list) {
			_, err := credWalk(c.ListOrganizationActivities(context.Background(), workivatest.OrganizationID,
				&workiva.ListActivitiesParams{PageToken: tok}).All())
			credCheckTokenErr(t, tok, err, "PageToken", foreign, workiva.ErrForeignLink)
		}
		if n := len(wk.Requests()) + len(wk.TokenRequests()); n != 0 {
			t.Errorf("the fake received %d requests", n)
		}
	})
	t.Run("activtrak", func(t *testing.T) {
		// ActivTrak tokens are cursors and page numbers, never URLs: a
		// link-shaped one goes to the client's own host as a cursor value,
		// or is refused as a page number.
		c, err := activtrak.NewClient(activtrak.WithBaseURL(at.URL), activtrak.WithAPIKey(activtraktest.APIKey))
		if err != nil {
			t.Fatal(err)
		}
		tok := other.URL + "/reports/v2/activitylog"
		_, _ = credWalk(c.ListActivityLog(context.Background(), &activtrak.ActivityLogParams{PageToken: tok}).All())
		for _, r := range at.Requests() {
			if r.Path != "/reports/v2/activitylog" || r.Query.Get("cursor") != tok {
				t.Errorf("request %s?%s, want the cursor on the activity log path", r.Path, r.RawQuery)
			}
		}
		before := len(at.Requests())
		_, err = credWalk(c.ListUserWorkingHours(context.Background(), &activtrak.WorkingHoursParams{
			From: at.StartDate(), To: at.EndDate(), PageToken: tok}).All())
		credCheckTokenErr(t, tok, err, "PageToken", false, nil)
		if n := len(at.Requests()) - before; n != 0 {
			t.Errorf("working hours: the fake received %d requests", n)
		}
	})
	other.requireUntouched(t, "page tokens")
}

// credCheckTokenErr checks that err is a *ValidationError for field (and,
// when foreign, also matches sentinel).
func credCheckTokenErr(t *testing.T, tok string, err error, field string, foreign bool, sentinel error) {
	t.Helper()
	var ve *core.ValidationError
	if !errors.As(err, &ve) {
		t.Errorf("token %q: error %v, want a *ValidationError", tok, err)
		return
	}
	if ve.Field != field {
		t.Errorf("token %q: Field %q, want %q", tok, ve.Field, field)
	}
	if foreign && !errors.Is(err, sentinel) {
		t.Errorf("token %q: error %v does not match ErrForeignLink", tok, err)
	}
}

// credRedirectCall is one API call of each provider against base.
type credRedirectCall struct {
	name string
	call func(ctx context.Context, base string) error
	// path is the base path the fake serves under.
	path string
}

// credRedirectCalls lists a call of every provider (providers_test.go).
func credRedirectCalls() []credRedirectCall {
	var out []credRedirectCall
	for _, p := range providers() {
		out = append(out, p.redirects...)
	}
	return out
}

// TestCredentialsRedirectToAnotherHost: a base host that redirects (302, 307,
// 308) to another host, or to itself under another name, gets an error
// wrapping ErrCrossHostRedirect; the other host receives nothing, and the
// redirecting host is asked once (a refused redirect is not retried).
func TestCredentialsRedirectToAnotherHost(t *testing.T) {
	t.Parallel()
	other := credNewHost(t)
	for _, status := range []int{http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		for _, target := range []string{"other", "localhost-other", "self-as-localhost"} {
			for _, rc := range credRedirectCalls() {
				t.Run(http.StatusText(status)+"/"+target+"/"+rc.name, func(t *testing.T) {
					t.Parallel()
					rd := credNewRedirector(t, status, func(r *http.Request) string {
						switch target {
						case "other":
							return other.URL
						case "localhost-other":
							return credLocalhostURL(t, other.URL)
						}
						return credLocalhostURL(t, "http://"+r.Host)
					})
					ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
					defer cancel()
					var err error
					credNoPanic(t, rc.name, nil, func() { err = rc.call(ctx, rd.URL+rc.path) })
					if !errors.Is(err, core.ErrCrossHostRedirect) {
						t.Errorf("error = %v, want ErrCrossHostRedirect", err)
					}
					if n := rd.n.Load(); n != 1 {
						t.Errorf("the redirecting host was asked %d times, want 1", n)
					}
				})
			}
		}
	}
	t.Cleanup(func() { other.requireUntouched(t, "redirects") })
}

// TestCredentialsWorkivaTokenURL: the client secret goes to the token URL's
// host only. A token endpoint that redirects elsewhere gets a *TokenError
// and the other host receives nothing; with the default token URL (derived
// from a base URL that redirects) the same; an http:// token URL on a host
// that is not loopback is refused by NewClient.
func TestCredentialsWorkivaTokenURL(t *testing.T) {
	t.Parallel()
	other := credNewHost(t)
	srv := workivatest.NewServer()
	t.Cleanup(srv.Close)
	for _, status := range []int{http.StatusFound, http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		rd := credNewRedirector(t, status, func(*http.Request) string { return other.URL })
		cases := map[string][]workiva.Option{
			"WithTokenURL":     {workiva.WithBaseURL(srv.URL), workiva.WithTokenURL(rd.URL + workivatest.TokenPath)},
			"default via base": {workiva.WithBaseURL(rd.URL)},
		}
		for name, opts := range cases {
			before := rd.n.Load()
			c, err := workiva.NewClient(append(opts, workiva.WithClientCredentials(workivatest.ClientID, workivatest.ClientSecret),
				workiva.WithRetryPolicy(workiva.RetryPolicy(credFastRetry)))...)
			if err != nil {
				t.Fatal(err)
			}
			_, err = c.GetActivity(context.Background(), workivatest.ActivityID(0))
			var te *workiva.TokenError
			if !errors.As(err, &te) || !errors.Is(err, core.ErrCrossHostRedirect) {
				t.Errorf("%d %s: error %v, want a *TokenError wrapping ErrCrossHostRedirect", status, name, err)
			}
			if n := rd.n.Load() - before; n != 1 {
				t.Errorf("%d %s: the token URL's host was asked %d times, want 1", status, name, n)
			}
			credClean(t, name, credErrText(err), []string{workivatest.ClientSecret, credBasic(workivatest.ClientID, workivatest.ClientSecret)})
		}
	}
	if n := len(srv.Requests()); n != 0 {
		t.Errorf("the API received %d requests without a token", n)
	}
	other.requireUntouched(t, "token redirects")

	for _, u := range []string{
		"http://example.com/oauth2/token",
		"http://10.1.2.3/oauth2/token",
		"http://192.168.0.1:8080/oauth2/token",
		"http://localhost.example.com/oauth2/token",
		"http://127.0.0.1.example.com/oauth2/token",
		"http://[2001:db8::1]/oauth2/token",
		"ftp://127.0.0.1/oauth2/token",
		"/oauth2/token",
		"127.0.0.1:8080/oauth2/token",
		"https://id:secret-x1y2@auth.example.com/oauth2/token",
		"https://auth.example.com/oauth2/token#frag",
	} {
		_, err := workiva.NewClient(workiva.WithClientCredentials(workivatest.ClientID, workivatest.ClientSecret), workiva.WithTokenURL(u))
		if err == nil || !strings.Contains(err.Error(), "WithTokenURL") {
			t.Errorf("WithTokenURL(%q): NewClient error %v, want one naming WithTokenURL", u, err)
		}
	}
	for _, u := range []string{"http://127.0.0.1:1/oauth2/token", "http://localhost:1/t", "http://[::1]:1/t", "https://auth.example.com/oauth2/token"} {
		if _, err := workiva.NewClient(workiva.WithClientCredentials(workivatest.ClientID, workivatest.ClientSecret), workiva.WithTokenURL(u)); err != nil {
			t.Errorf("WithTokenURL(%q): %v", u, err)
		}
	}
}
