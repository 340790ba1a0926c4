package analytics_test

import (
	"fmt"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"testing"

	"go.uber.org/goleak"

	"github.com/activitysdk/activity-go/internal/contract"
)

const contractPath = "testdata/analytics.openapi.yaml"

// TestMain holds every request the package's tests send to analyticstest,
// and every answer it gives, to the OpenAPI description in testdata; the
// requests sent to httpmock transports are held to it by checkRequests.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(withMockCounts{contract.Main(m, contract.Docs{"analytics": contract.File(contractPath)})})
}

type withMockCounts struct{ r *contract.Runner }

func (w withMockCounts) Run() int {
	code := w.r.Run()
	if testing.Verbose() || os.Getenv("CONTRACT_COUNTS") != "" {
		fmt.Printf("contract analytics (%s): %d requests to httpmock transports validated\n", contractPath, mockRequests.Load())
	}
	return code
}

var (
	docOnce      sync.Once
	doc          *contract.Doc
	docErr       error
	mockRequests atomic.Int64
)

// checkRequests wraps a test transport (httpmock's, whose answers are
// off-contract on purpose) so that every request the SDK sends through it is
// validated against the description; answers are not.
func checkRequests(t testing.TB, rt http.RoundTripper) http.RoundTripper {
	docOnce.Do(func() { doc, docErr = contract.Parse(contractPath) })
	if docErr != nil {
		t.Fatal(docErr)
	}
	return roundTripFunc(func(r *http.Request) (*http.Response, error) {
		mockRequests.Add(1)
		if msgs := doc.CheckRequest(r, nil); len(msgs) > 0 {
			t.Errorf("contract %s: %s %s: request does not validate: %v", contractPath, r.Method, r.URL.RequestURI(), msgs)
		}
		return rt.RoundTrip(r)
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
