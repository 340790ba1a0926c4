package core

import (
	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

func oauth2ClientCredentials(tokenURL, id, secret string, scopes []string) *clientcredentials.Config {
	return &clientcredentials.Config{
		ClientID:     id,
		ClientSecret: secret,
		TokenURL:     tokenURL,
		Scopes:       scopes,
		AuthStyle:    oauth2.AuthStyleInHeader,
	}
}
