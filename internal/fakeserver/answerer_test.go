package fakeserver

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAnswerer(t *testing.T) {
	t.Parallel()
	a := &Answerer{Host: "127.0.0.1:9", Then: []byte(`{"data":[]}`)}
	c := &http.Client{Transport: a}
	a.Set(418, http.Header{"X-Request-Id": {"r1"}}, []byte("first"), false)
	for i, want := range []string{"first", `{"data":[]}`, `{"data":[]}`} {
		resp, err := c.Get("http://127.0.0.1:9/x")
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, want, string(b), "request %d", i)
		if i == 0 {
			assert.Equal(t, 418, resp.StatusCode)
			assert.Equal(t, "r1", resp.Header.Get("X-Request-Id"))
		} else {
			assert.Equal(t, 200, resp.StatusCode)
		}
	}
	_, err := c.Get("http://evil.example:9/x")
	assert.ErrorContains(t, err, `request to foreign host "evil.example:9"`)
	assert.Equal(t, []string{"127.0.0.1:9", "127.0.0.1:9", "127.0.0.1:9", "evil.example:9"}, a.Hosts())

	a.Set(500, nil, []byte("again"), true)
	for i := 0; i < 2; i++ {
		resp, err := c.Get("http://127.0.0.1:9/x")
		require.NoError(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		assert.Equal(t, "again", string(b))
		assert.Equal(t, 500, resp.StatusCode)
	}
	assert.Len(t, a.Hosts(), 2, "Set forgets the hosts seen")
}

func TestJSONEscapeAll(t *testing.T) {
	for _, s := range []string{"", "tok/1+2=", "é😀\x00\""} {
		q := JSONEscapeAll(s)
		var back string
		if err := json.Unmarshal([]byte(q), &back); err != nil || back != s {
			t.Fatalf("%q -> %s -> %q, %v", s, q, back, err)
		}
		if strings.Trim(strings.ReplaceAll(q, `\u`, ""), `"0123456789abcdef`) != "" {
			t.Fatalf("%s holds an unescaped character", q)
		}
	}
}
