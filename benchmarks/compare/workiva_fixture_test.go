package compare

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The Workiva fixture: a loopback server holding the pages of one walk,
// encoded once, and a token endpoint. Every client reads the same bytes:
// the first request names $maxpagesize, each page's @nextLink is an absolute
// URL on the server with $next set, and the last page has no @nextLink.

const (
	orgID      = "d6e178fd-4dd5-47e5-9457-68dd64b03655"
	benchToken = "compare-token-5d1f"
	tokenPath  = "/oauth2/token"
	listPath   = "/organizations/" + orgID + "/activities"
	pageSize   = 1000
)

// itemSize names the two item profiles of the Workiva walk.
type itemSize string

const (
	// small: the fields every activity carries (~400 bytes).
	small itemSize = "small"
	// large: with summary, organization, workspace, two targets, tags and an
	// attachment (~1.3 KB).
	large itemSize = "large"
)

// The wire shape the fixture encodes (the plain loop decodes into its own
// structs; see plain_test.go).
type (
	fxActivity struct {
		ID               string          `json:"id"`
		Action           fxAction        `json:"action"`
		ActivityDateTime string          `json:"activityDateTime"`
		Performer        fxPerformer     `json:"performer"`
		Targets          []fxTarget      `json:"targets"`
		Summary          string          `json:"summary,omitempty"`
		Outcome          string          `json:"outcome,omitempty"`
		Organization     *fxOrg          `json:"organization,omitempty"`
		Workspace        *fxOrg          `json:"workspace,omitempty"`
		Tags             []string        `json:"tags,omitempty"`
		Attachments      json.RawMessage `json:"attachments,omitempty"`
	}
	fxAction struct {
		ID         string `json:"id"`
		Alias      string `json:"alias,omitempty"`
		Name       string `json:"name,omitempty"`
		Category   string `json:"category,omitempty"`
		Deprecated bool   `json:"deprecated"`
	}
	fxPerformer struct {
		ID          string `json:"id"`
		Type        string `json:"type"`
		DisplayName string `json:"displayName,omitempty"`
		UniqueName  string `json:"uniqueName,omitempty"`
		IPAddress   string `json:"ipAddress,omitempty"`
	}
	fxTarget struct {
		ID          string `json:"id"`
		Type        string `json:"type"`
		DisplayName string `json:"displayName,omitempty"`
		UniqueName  string `json:"uniqueName,omitempty"`
	}
	fxOrg struct {
		ID   string `json:"id"`
		Name string `json:"name,omitempty"`
	}
)

var fxActions = []fxAction{
	{"com.workiva.administration.workspace_membership.create", "workspace_membership_create", "Workspace membership created", "Administration", false},
	{"com.workiva.iam.user.login", "user_login", "User logged in", "Security", false},
	{"com.workiva.administration.role.update", "role_update", "Role updated", "Administration", false},
	{"com.workiva.files.file.export", "file_export", "File exported", "Files", true},
}

var fxOutcomes = []string{"success", "success", "success", "failure", "pending", "unknown"}

var fxStart = time.Date(2026, 1, 5, 8, 0, 0, 0, time.UTC)

// fxID is the opaque base64 id of activity i ("/", "+" and "=" included).
func fxID(kind string, i int) string {
	return base64.StdEncoding.EncodeToString([]byte(fmt.Sprintf("%s:%08d:\xfb\xff", kind, i)))
}

// workivaActivity builds activity i of the given profile.
func workivaActivity(i int, size itemSize) fxActivity {
	act := fxActions[i%len(fxActions)]
	p := i % 37
	ip := fmt.Sprintf("10.%d.%d.%d", p, (i/250)%250, i%250+1)
	if i%5 == 0 {
		ip += "\n" // the API sometimes sends a trailing newline
	}
	a := fxActivity{
		ID:               fxID("act", i),
		Action:           act,
		ActivityDateTime: fxStart.Add(time.Duration(i) * time.Second).Format(time.RFC3339),
		Performer: fxPerformer{ID: fxID("usr", p), Type: "com.workiva.iam.principal.user",
			DisplayName: fmt.Sprintf("User %d", p), UniqueName: fmt.Sprintf("user%d@example.com", p), IPAddress: ip},
		Targets: []fxTarget{{ID: fxID("tgt", i%101), Type: "com.workiva.administration.user", DisplayName: fmt.Sprintf("Target %d", i%101)}},
		Outcome: fxOutcomes[i%len(fxOutcomes)],
	}
	if size == small {
		a.Action = fxAction{ID: act.ID, Alias: act.Alias, Deprecated: act.Deprecated}
		a.Performer.UniqueName = ""
		a.Targets[0].DisplayName = ""
		return a
	}
	ws := i % 7
	a.Targets[0].UniqueName = fmt.Sprintf("target_%d", i%101)
	a.Targets = append(a.Targets, fxTarget{ID: fxID("wsp", ws), Type: "com.workiva.administration.workspace", DisplayName: fmt.Sprintf("Quarterly Planning %d", ws)})
	a.Summary = fmt.Sprintf("User %d: %s (Target %d) in workspace 'Quarterly Planning %d'", p, act.Name, i%101, ws)
	a.Organization = &fxOrg{orgID, "Workiva Inc."}
	a.Workspace = &fxOrg{fxID("wsp", ws), fmt.Sprintf("Quarterly Planning %d", ws)}
	a.Tags = []string{fmt.Sprintf("correlationId:%016x", uint64(i)*0x9e3779b97f4a7c15), fmt.Sprintf("eventId:ev-%d", i), "source:platform-api"}
	a.Attachments = json.RawMessage(fmt.Sprintf(`[{"entityChanges":{"propertyName":"displayName","new":"Name %d","old":"Name %d"}},`+
		`{"request":{"userAgent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36","origin":"https://app.wdesk.com","sessionId":"%016x"}}]`, i, i-1, uint64(i)*0x7f4a7c159e3779b9))
	return a
}

// workivaServer serves the pages of one walk from memory.
type workivaServer struct {
	*httptest.Server
	pages [][]byte
	bytes int // total body bytes of the walk
}

// newWorkivaServer starts a server holding items activities of the given
// profile in pages of pageSize.
func newWorkivaServer(tb testing.TB, items int, size itemSize) *workivaServer {
	tb.Helper()
	s := &workivaServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	tb.Cleanup(s.Close)
	for start := 0; start < items; start += pageSize {
		var page struct {
			Data     []fxActivity `json:"data"`
			NextLink string       `json:"@nextLink,omitempty"`
		}
		for i := start; i < min(start+pageSize, items); i++ {
			page.Data = append(page.Data, workivaActivity(i, size))
		}
		if next := start/pageSize + 1; start+pageSize < items {
			page.NextLink = s.URL + listPath + "?$maxpagesize=" + strconv.Itoa(pageSize) + "&$next=" + strconv.Itoa(next)
		}
		b, err := json.Marshal(page)
		if err != nil {
			tb.Fatal(err)
		}
		s.pages = append(s.pages, b)
		s.bytes += len(b)
	}
	return s
}

func (s *workivaServer) serve(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.URL.Path == tokenPath && r.Method == http.MethodPost:
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":%q,"token_type":"Bearer","expires_in":3600}`, benchToken)
	case r.URL.Path != listPath || r.Method != http.MethodGet:
		http.Error(w, `{"code":"NotFound"}`, http.StatusNotFound)
	case r.Header.Get("Authorization") != "Bearer "+benchToken:
		http.Error(w, `{"code":"Unauthorized"}`, http.StatusUnauthorized)
	case r.URL.Query().Get("$maxpagesize") != strconv.Itoa(pageSize):
		http.Error(w, `{"code":"BadRequest","message":"want $maxpagesize"}`, http.StatusBadRequest)
	default:
		k := 0
		if n := r.URL.Query().Get("$next"); n != "" {
			var err error
			if k, err = strconv.Atoi(n); err != nil || k < 0 || k >= len(s.pages) {
				http.Error(w, `{"code":"BadRequest","message":"bad $next"}`, http.StatusBadRequest)
				return
			}
		}
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Content-Length", strconv.Itoa(len(s.pages[k])))
		_, _ = w.Write(s.pages[k])
	}
}

// bearer is the header the hand-written loops send, as the SDK does after
// its token exchange.
func bearerHeader() http.Header {
	return http.Header{
		"Authorization": {"Bearer " + benchToken},
		"X-Version":     {"2026-01-01"},
		"Accept":        {"application/json"},
	}
}

func TestWorkivaItemSizes(t *testing.T) {
	for _, size := range []itemSize{small, large} {
		s := newWorkivaServer(t, 2000, size)
		per := s.bytes / 2000
		t.Logf("%s: %d B/item", size, per)
		if want := map[itemSize][2]int{small: {350, 450}, large: {1200, 1400}}[size]; per < want[0] || per > want[1] {
			t.Errorf("%s: %d B/item, want %d to %d", size, per, want[0], want[1])
		}
		if !strings.Contains(string(s.pages[0]), `"@nextLink"`) || strings.Contains(string(s.pages[1]), `"@nextLink"`) {
			t.Error("want a @nextLink on every page but the last")
		}
	}
}
