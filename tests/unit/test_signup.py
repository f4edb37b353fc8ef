"""Sign-up detector: work addresses on external sign-up forms are hits; near misses are not."""

from __future__ import annotations

import pytest

from filters.engines.signup import Field, SignupDetector, SignupRequest, tokens

ORG = ["example.org", "Agency.GOV"]


def request(host: str, path: str, **fields: str) -> SignupRequest:
    return SignupRequest(
        host=host, path=path, fields=[Field(k, v, f"upload:form[{k}]") for k, v in fields.items()]
    )


@pytest.fixture
def detector() -> SignupDetector:
    return SignupDetector(ORG, allowed_services=["sanctioned.example.com"])


@pytest.mark.parametrize(
    "req",
    [
        request("saas.example.net", "/signup", email="alice@example.org", password="x"),
        request("saas.example.net", "/users/sign_up", **{"user[email]": "Alice@EXAMPLE.ORG"}),
        request("saas.example.net", "/api/v2/createAccount", email="alice+saas@hr.example.org"),
        request(
            "saas.example.net",
            "/account",
            email="alice%40example.org",
            password="a",
            password_confirmation="a",
        ),
        request("saas.example.net", "/x", email="alice%2540example.org", pwd="a", pwd2="a"),
        request("news.example.net", "/newsletter", subscriber="bob@research.agency.gov"),
        request(
            "saas.example.net", "/graphql", operationName="SignUp", **{"variables.email": "bob@example.org"}
        ),
        request("saas.example.net", "/x", email="bob＠example.org", confirmPassword="a", password="a"),
        request("saas.example.net", "/registro", correo="carla@example.org"),
    ],
)
def test_work_address_on_external_signup_is_a_hit(detector, req):
    hits = detector.scan(req)
    assert len(hits) == 1
    hit = hits[0]
    assert hit.category == "signup" and hit.rule == "signup.work_address"
    assert hit.where.startswith("upload:form[")
    assert "saas.example.net" in hit.excerpt or "news.example.net" in hit.excerpt


@pytest.mark.parametrize(
    "req",
    [
        # a login, not a sign-up
        request("saas.example.net", "/login", email="alice@example.org", password="x"),
        # a personal address signing up
        request("saas.example.net", "/signup", email="alice@gmail.com", password="x"),
        # the organisation's own services (and subdomains, any case)
        request("Portal.Example.ORG", "/register", email="alice@example.org", password="x"),
        # a sanctioned service
        request("app.sanctioned.example.com", "/signup", email="alice@example.org"),
        # look-alike domains are not the organisation's
        request("saas.example.net", "/signup", email="alice@example.org.evil.net"),
        request("saas.example.net", "/signup", email="alice@notexample.org"),
        # a contact form and a password reset carry a work address but are not sign-ups
        request("saas.example.net", "/contact", email="alice@example.org", message="hi"),
        request("saas.example.net", "/password/forgot", email="alice@example.org"),
        # "rejoin"/"registered" inside other words do not make a sign-up
        request("saas.example.net", "/rejoinder", email="alice@example.org"),
    ],
)
def test_near_misses_pass(detector, req):
    assert detector.scan(req) == []


def test_referer_page_gives_the_context(detector):
    req = SignupRequest(
        host="saas.example.net",
        path="/api/v1/users",
        fields=[Field("email", "alice@example.org", "upload:json[email]")],
        referer_path="/join-now",
    )
    assert detector.scan(req)


def test_no_org_domains_means_no_hits():
    detector = SignupDetector([])
    assert detector.scan(request("saas.example.net", "/signup", email="a@example.org")) == []


def test_tokens_split_camel_case_digits_and_join_pairs():
    assert {"sign", "up", "signup", "create", "account", "createaccount"} <= tokens("/sign-up/createAccount")
    assert {"password", "2"} <= tokens("password2")


def test_extra_context_words_from_config():
    detector = SignupDetector(ORG, context_words=["waitlist"])
    assert detector.scan(request("saas.example.net", "/waitlist", email="a@example.org"))


# -- inbound verification mails (the second net) ------------------------------------------------


@pytest.mark.parametrize(
    "subject,text",
    [
        ("Please confirm your account", "Click the link below."),
        ("Welcome", "To finish, VERIFY  your\nemail address here."),
        ("欢迎", "请点击以下链接验证您的邮箱。"),
        ("Bienvenido", "Confirma tu cuenta con este enlace."),
    ],
)
def test_verification_mail_to_a_work_address_from_outside_is_a_hit(subject, text):
    detector = SignupDetector(["example.org"])
    hits = detector.scan_verification_mail(
        "no-reply@accounts.saas.example.com", ["Alice+x@Dev.Example.org"], subject, text
    )
    assert [(h.rule, h.category) for h in hits] == [("signup.verification_mail", "signup")]
    assert "alice+x@dev.example.org" in hits[0].excerpt


@pytest.mark.parametrize(
    "sender,recipients,subject,allowed",
    [
        ("it@example.org", ["alice@example.org"], "Confirm your account", []),  # internal service
        ("no-reply@saas.example.com", ["alice@gmail.example.net"], "Confirm your account", []),
        ("no-reply@saas.example.com", ["alice@example.org"], "Minutes of Tuesday", []),
        (
            "no-reply@eu.sanctioned.example",
            ["alice@example.org"],
            "Confirm your account",
            ["sanctioned.example"],
        ),
    ],
)
def test_verification_near_misses_pass(sender, recipients, subject, allowed):
    detector = SignupDetector(["example.org"], allowed_services=allowed)
    assert detector.scan_verification_mail(sender, recipients, subject, "Hello.") == []


def _json(host: str, path: str, method: str = "POST", **fields: str) -> SignupRequest:
    return SignupRequest(
        host=host,
        path=path,
        method=method,
        fields=[Field(k, v, f"upload:json[{k}]") for k, v in fields.items()],
    )


@pytest.mark.parametrize(
    "req",
    [
        # GraphQL: the address in the query text, or in the variables
        _json(
            "api.example.net",
            "/graphql",
            query='mutation { createUser(input: {email: "alice@example.org", password: "pw1"}) { id } }',
        ),
        _json(
            "api.example.net",
            "/graphql",
            query="mutation Register($email: String!) { registerAccount(email: $email) { ok } }",
            **{"variables.email": "alice@example.org"},
        ),
        # account creation by what it does, whatever the path says
        _json("api.example.net", "/api/v2/users", email="alice@example.org", password="S3cret!"),
        _json(
            "api.example.net", "/v1/accounts/", method="PUT", email="alice@example.org", password="S3cret!"
        ),
        _json(
            "api.example.net", "/api/people/new", email="alice@example.org", password="x", first_name="Alice"
        ),
        _json("api.example.net", "/api/x", email="alice@example.org", password="x", accept_terms="true"),
        # addresses written the way RFC 5322 allows, or in two fields
        request("saas.example.net", "/signup", email='"alice"@example.org'),
        request("saas.example.net", "/signup", email="alice(work)@example.org"),
        request("saas.example.net", "/signup", email="alice@(work)example.org"),
        request("saas.example.net", "/signup", username="alice", domain="example.org"),
        request("saas.example.net", "/register", email_local="alice", email_domain="@example.org"),
    ],
)
def test_signups_judged_by_what_they_do(detector, req):
    hits = detector.scan(req)
    assert hits and all("alice" in h.excerpt and "example.org" in h.excerpt for h in hits)


@pytest.mark.parametrize(
    "req",
    [
        # a GraphQL query (not a mutation) and a mutation that creates no account
        _json(
            "api.example.net", "/graphql", query='query { user(email: "alice@example.org") { name avatar } }'
        ),
        _json(
            "api.example.net",
            "/graphql",
            query='mutation { updateTicket(id: 4, assignee: "alice@example.org") { id } }',
        ),
        # logins to an existing account, by path or by API, with a user name field
        _json("api.example.net", "/api/v2/sessions", email="alice@example.org", password="S3cret!"),
        _json(
            "api.example.net",
            "/oauth/token",
            username="alice@example.org",
            password="x",
            grant_type="password",
        ),
        # a domain field without an account operation
        request("saas.example.net", "/dns/check", user="alice", domain="example.org"),
    ],
)
def test_requests_that_create_no_account_pass(detector, req):
    assert detector.scan(req) == []


@pytest.mark.parametrize(
    "address",
    ["anna@müller-bau.de", "anna@xn--mller-bau-q9a.de", "ANNA@MÜLLER-BAU.DE", "anna@werk.müller-bau.de"],
)
def test_an_internationalised_work_domain_is_matched_in_every_form(address):
    # Configured in Unicode; the address may come in Unicode, punycode or any case.
    detector = SignupDetector(["müller-bau.de"])
    assert detector.work_addresses(f"x {address} y")
    assert detector.scan(request("saas.example.net", "/signup", email=address, password="a"))


def test_a_punycode_configured_domain_matches_the_unicode_address():
    detector = SignupDetector(["xn--mller-bau-q9a.de"])
    assert detector.work_addresses("anna@müller-bau.de")
    assert not detector.work_addresses("anna@mueller-bau.de")


def test_text_right_after_an_ascii_domain_does_not_hide_the_address(detector):
    assert detector.work_addresses("联系 alice@example.org请回复") == ["alice@example.org"]


def test_an_operation_named_in_a_header_is_sign_up_context(detector):
    # The AWS JSON protocol names the action in X-Amz-Target, not the URL or the fields.
    fields = [
        Field("Username", "alice@example.org", "upload:json[Username]"),
        Field("Password", "x", "upload:json[Password]"),
    ]
    signup = SignupRequest(
        host="cognito-idp.us-east-1.amazonaws.com",
        path="/",
        fields=fields,
        operation="AWSCognitoIdentityProviderService.SignUp",
    )
    login = SignupRequest(
        host="cognito-idp.us-east-1.amazonaws.com",
        path="/",
        fields=fields,
        operation="AWSCognitoIdentityProviderService.InitiateAuth",
    )
    assert detector.scan(signup)
    assert not detector.scan(login)


def test_a_plural_collection_of_sign_ups_is_context(detector):
    assert "signup" in tokens("/v1/client/sign_ups")
    assert detector.scan(
        request("clerk.example.net", "/v1/client/sign_ups", email_address="alice@example.org")
    )
    assert not detector.scan(
        request("clerk.example.net", "/v1/client/sign_ins", identifier="alice@example.org")
    )


def _flags(**fields: str) -> list[Field]:
    # A JSON true arrives as a flag field (gateway.web.upload_decoding).
    return [Field(k, v, f"upload:json[{k}]", flag=v == "true") for k, v in fields.items()]


def test_a_passwordless_sign_up_is_named_by_its_flag(detector):
    # Supabase signInWithOtp: the address gets a magic link; create_user says it also
    # creates the account. The request decoder gives a true flag the value "true".
    otp = "xyz.supabase.co"
    assert detector.scan(
        SignupRequest(
            host=otp, path="/auth/v1/otp", fields=_flags(email="alice@example.org", create_user="true")
        )
    )
    assert detector.scan(
        SignupRequest(
            host=otp,
            path="/auth/v1/otp",
            fields=_flags(email="alice@example.org", **{"options.shouldCreateUser": "true"}),
        )
    )
    # The same request for an existing account (create_user false: no field) is a login.
    assert not detector.scan(
        SignupRequest(host=otp, path="/auth/v1/otp", fields=_flags(email="alice@example.org"))
    )
    assert not detector.scan(
        SignupRequest(
            host=otp, path="/auth/v1/otp", fields=_flags(email="alice@example.org", remember_me="true")
        )
    )
    # A flag named like a password is none (Okta's warnBeforePasswordExpired at a login) …
    assert not detector.scan(
        SignupRequest(
            host="acme.okta.com",
            path="/api/v1/authn",
            fields=[
                *_flags(username="alice@example.org"),
                Field("password", "x", "upload:json[password]"),
                Field("options.warnBeforePasswordExpired", "true", "upload:json[options]", flag=True),
            ],
        )
    )
    # … but a password that is the word "true" still is one, confirmation and all.
    assert detector.scan(
        SignupRequest(
            host="saas.example.net",
            path="/api/x",
            fields=[
                Field("email", "alice@example.org", "upload:json[email]"),
                Field("password", "true", "upload:json[password]"),
                Field("password_confirm", "true", "upload:json[password_confirm]"),
            ],
        )
    )


def test_a_field_naming_the_sign_up_page_is_context(detector):
    # Substack's subscription: only "source" says which form sent it.
    for page in ("subscribe_page", "SignupModal", "newsletter-form", "registration page"):
        assert detector.scan(
            SignupRequest(
                host="news.substack.com",
                path="/api/v1/free",
                fields=_flags(email="alice@example.org", source=page),
            )
        )
    # Where someone heard of the service, or a page that is no sign-up, is not.
    for source in ("newsletter", "subscribe", "pricing_page", "contact_form"):
        assert not detector.scan(
            SignupRequest(
                host="shop.example.net",
                path="/api/contact",
                fields=_flags(email="alice@example.org", source=source, message="Call me"),
            )
        )
    # A long value is prose, not a page's name.
    prose = "I read your newsletter and the signup page said to write here. " * 2
    assert not detector.scan(
        SignupRequest(
            host="shop.example.net",
            path="/api/contact",
            fields=_flags(email="alice@example.org", source=prose),
        )
    )
