package workivatest

import (
	"fmt"
	"net/http"
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

// TokenPath is the token endpoint's path. It takes grant_type,
// client_id, client_secret and scope in a form body (credentials only in HTTP
// Basic are refused with 401 invalid_client). The deprecated 2022-01-01 path
// "/iam/v1/oauth2/token" is served too, and answers 404 to a request with
// X-Version: 2026-01-01, as that endpoint is reported to.
const TokenPath = "/oauth2/token"

const legacyTokenPath = "/iam/v1/oauth2/token"

var tokenPaths = []string{TokenPath, legacyTokenPath}

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
	if r.URL.Path == legacyTokenPath && r.Header.Get("X-Version") == APIVersion {
		// What one client observed: the 2022-01-01 endpoint does not route
		// the 2026-01-01 version.
		writeIAM(w, http.StatusNotFound, "invalid_request", "no route for X-Version "+APIVersion+" at "+legacyTokenPath+"; use "+TokenPath)
		return
	}
	// The 2026-01-01 document puts the client credentials in the form body;
	// HTTP Basic alone is not accepted.
	id, secret := form.Get("client_id"), form.Get("client_secret")
	if _, _, basic := r.BasicAuth(); basic && id == "" && secret == "" {
		writeIAM(w, http.StatusUnauthorized, "invalid_client",
			"send client_id and client_secret as form parameters in the body; HTTP Basic is not accepted")
		return
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
