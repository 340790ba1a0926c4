package core

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestMessageRuleText(t *testing.T) {
	t.Parallel()
	// flat is ActivTrak's rule, nested Close's.
	flat := MessageRule{Keys: []string{"message"}, FoldCase: true}
	nested := MessageRule{Keys: []string{"message", "error", "description", "detail"}, Nested: true}
	cases := []struct {
		name, raw    string
		flat, nested string
	}{
		{"empty", ``, "", ""},
		{"blank", " \n\t", "", ""},
		{"null", ` null `, "", ""},
		{"string", `"Invalid date."`, "Invalid date.", "Invalid date."},
		{"empty string", `""`, "", ""},
		{"escaped string", `"a \"b\" \u00e9"`, `a "b" é`, `a "b" é`},
		{"number", `7`, "7", "7"},
		{"big number kept", `12345678901234567890`, "12345678901234567890", "12345678901234567890"},
		{"bool", `true`, "true", "true"},
		{"object message", `{"message":"bad","field":"x"}`, "bad", "bad"},
		{"object no message", `{"field": "x", "n": 1}`, `{"field":"x","n":1}`, `{"field":"x","n":1}`},
		{"object empty message", `{"message":"","error":"e"}`, `{"error":"e","message":""}`, "e"},
		{"object later key", `{"detail":"d","description":"c"}`, `{"description":"c","detail":"d"}`, "c"},
		{"object number message", `{"message":7}`, `{"message":7}`, "7"},
		{"object nested message", `{"message":{"message":"deep"}}`, `{"message":{"message":"deep"}}`, "deep"},
		{"object null message", `{"message":null,"error":"e"}`, `{"error":"e","message":null}`, "e"},
		{"object folded key", `{"Message":"An error has occurred."}`, "An error has occurred.", `{"Message":"An error has occurred."}`},
		{"object exact and folded, last wins", `{"message":"a","MESSAGE":"b"}`, "b", "a"},
		{"object repeated key, last wins", `{"message":"a","message":"b"}`, "b", "b"},
		{"list", `["a", {"message":"b"}, null, "", 3]`, `["a",{"message":"b"},null,"",3]`, "a; b; 3"},
		{"nested list", `[["a","b"],"c"]`, `[["a","b"],"c"]`, "a; b; c"},
		{"empty list", `[]`, `[]`, ""},
		{"html not escaped", `{"x":"<b>&"}`, `{"x":"<b>&"}`, `{"x":"<b>&"}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.flat, flat.Text(json.RawMessage(tc.raw)), "flat")
			assert.Equal(t, tc.nested, nested.Text(json.RawMessage(tc.raw)), "nested")
		})
	}
}

func TestMessageRuleNoKeys(t *testing.T) {
	t.Parallel()
	// With no keys an object is always its JSON text.
	assert.Equal(t, `{"message":"m"}`, MessageRule{}.Text(json.RawMessage(`{"message":"m"}`)))
	assert.Equal(t, `["m"]`, MessageRule{}.Text(json.RawMessage(`["m"]`)))
	assert.Equal(t, "m", MessageRule{Nested: true}.Text(json.RawMessage(`["m"]`)))
}
