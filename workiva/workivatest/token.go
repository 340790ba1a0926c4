package workivatest

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/activitysdk/activity-go/internal/fakeserver"
)

// The credentials the fake's token endpoint accepts.
const (
	ClientID     = "workivatest-client"
	ClientSecret = "workivatest-secret-3f9a1c"
)

// TokenPath is the token endpoint's path ("/iam/v1/oauth2/token" is served
// too).
const TokenPath = "/oauth2/token"

var tokenPaths = []string{TokenPath, "/iam/v1/oauth2/token"}

// knownScopes are the scopes the token endpoint grants.
var knownScopes = map[string]bool{"activity:read": true, "file:read": true, "file:write": true,
	"graph:read": true, "graph:write": true, "organization:read": true, "organization:write": true}

func isTokenPath(p string) bool {
	for _, t := range tokenPaths {
		if p == t {
			return true
		}
	}
	return false
}

func isTokenFault(f Fault) bool {
	if f.Path == "" || f.Path == "/" {
		return false
	}
	for _, t := range tokenPaths {
		if strings.HasPrefix(t, f.Path) {
			return true
		}
	}
	return false
}

// TokenRequests returns the requests the token endpoint received, oldest
// first (Requests lists API requests only).
func (s *Server) TokenRequests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request(nil), s.tokenLog...)
}

// TokensIssued returns how many access tokens the token endpoint issued.
func (s *Server) TokensIssued() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.issued
}

// ExpireTokens makes every access token issued so far invalid, as if they
// had all expired: the next API request with one gets a 401.
func (s *Server) ExpireTokens() {
	s.mu.Lock()
	s.tokens = map[string]time.Time{}
	s.mu.Unlock()
}

func (s *Server) validToken(t string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	exp, ok := s.tokens[t]
	return ok && s.cfg.clock().Before(exp)
}

// iamError is Workiva's token endpoint error body.
type iamError struct {
	Error            string `json:"error"`
	ErrorDescription string `json:"error_description,omitempty"`
	ErrorURI         string `json:"error_uri,omitempty"`
}

func writeIAM(w http.ResponseWriter, status int, code, desc string) {
	w.Header().Set("Cache-Control", "no-store")
	fakeserver.WriteJSON(w, status, iamError{Error: code, ErrorDescription: desc,
		ErrorURI: "https://developers.workiva.com/authentication"})
}

func (s *Server) serveTokenEndpoint(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	r.Body = io.NopCloser(bytes.NewReader(body))
	s.mu.Lock()
	var f *Fault
	if len(s.tokenFaults) > 0 {
		f = &s.tokenFaults[0]
		s.tokenFaults = s.tokenFaults[1:]
	}
	s.tokenLog = append(s.tokenLog, Request{Method: r.Method, Path: r.URL.Path, RawPath: r.URL.EscapedPath(),
		RawQuery: r.URL.RawQuery, Query: r.URL.Query(), Header: r.Header.Clone(), Body: body, Fault: f})
	if len(s.tokenLog) > 10_000 {
		s.tokenLog = append([]Request(nil), s.tokenLog[5_000:]...)
	}
	s.mu.Unlock()
	if f != nil {
		s.tokenFault(w, r, f)
		return
	}
	s.issueToken(w, r)
}

func (s *Server) tokenFault(w http.ResponseWriter, r *http.Request, f *Fault) {
	switch f.Kind {
	case Drop:
		dropConn(w)
		return
	case Slow:
		t := time.NewTimer(f.Delay)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
			return
		}
		s.issueToken(w, r)
		return
	case Truncate:
		rec := httptest.NewRecorder()
		s.issueToken(rec, r)
		full := rec.Body.Bytes()
		for k, vs := range rec.Header() {
			w.Header()[k] = vs
		}
		w.Header().Set("Content-Length", strconv.Itoa(len(full)+1))
		w.WriteHeader(rec.Code)
		_, _ = w.Write(full[:len(full)/2])
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
		dropConn(w)
		return
	}
	status := f.Status
	if status == 0 {
		status = http.StatusInternalServerError
	}
	for k, vs := range f.Header {
		w.Header()[k] = vs
	}
	switch {
	case f.RetryAfterRaw != "":
		w.Header().Set("Retry-After", f.RetryAfterRaw)
	case f.RetryAfter > 0:
		w.Header().Set("Retry-After", strconv.Itoa(int((f.RetryAfter+time.Second-1)/time.Second)))
	}
	if f.Body != "" {
		w.WriteHeader(status)
		_, _ = io.WriteString(w, f.Body)
		return
	}
	code := "server_error"
	if status == http.StatusServiceUnavailable || status == http.StatusTooManyRequests {
		code = "temporarily_unavailable"
	}
	writeIAM(w, status, code, "injected fault: "+http.StatusText(status))
}

func dropConn(w http.ResponseWriter) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		panic(http.ErrAbortHandler)
	}
	conn, _, err := hj.Hijack()
	if err != nil {
		panic(http.ErrAbortHandler)
	}
	_ = conn.Close()
}

func (s *Server) issueToken(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeIAM(w, http.StatusMethodNotAllowed, "invalid_request", "use POST")
		return
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		writeIAM(w, http.StatusBadRequest, "invalid_request", "the body must be application/x-www-form-urlencoded")
		return
	}
	if err := r.ParseForm(); err != nil {
		writeIAM(w, http.StatusBadRequest, "invalid_request", "the body does not parse")
		return
	}
	form := r.PostForm
	if gt := form.Get("grant_type"); gt != "client_credentials" {
		writeIAM(w, http.StatusBadRequest, "unsupported_grant_type", fmt.Sprintf("grant_type must be client_credentials (got %q)", gt))
		return
	}
	id, secret, basic := r.BasicAuth()
	if !basic {
		id, secret = form.Get("client_id"), form.Get("client_secret")
	}
	if !fakeserver.Equal(id, ClientID) || !fakeserver.Equal(secret, ClientSecret) {
		writeIAM(w, http.StatusUnauthorized, "invalid_client", "Client authentication failed")
		return
	}
	scope := "activity:read"
	if sc := strings.TrimSpace(form.Get("scope")); sc != "" {
		for _, one := range strings.Fields(sc) {
			if !knownScopes[one] {
				writeIAM(w, http.StatusBadRequest, "invalid_scope", fmt.Sprintf("unknown scope %q", one))
				return
			}
		}
		scope = sc
	}
	now := s.cfg.clock()
	s.mu.Lock()
	s.issued++
	tok := fmt.Sprintf("wkv-fake-at-%06d-%s", s.issued, url.QueryEscape(strconv.FormatInt(now.UnixNano()%1e9, 36)))
	for t, exp := range s.tokens {
		if !now.Before(exp) {
			delete(s.tokens, t)
		}
	}
	s.tokens[tok] = now.Add(s.cfg.lifetime)
	s.mu.Unlock()
	secs := int((s.cfg.lifetime + time.Second - 1) / time.Second)
	w.Header().Set("Cache-Control", "no-store")
	fakeserver.WriteJSON(w, http.StatusOK, map[string]any{
		"access_token": tok, "token_type": "bearer", "expires_in": secs, "scope": scope})
}
