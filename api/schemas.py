"""What the API sends and takes. Names follow the pages; times are ISO 8601 with offset."""

from datetime import date, datetime

from ninja import Field, Schema


class Credentials(Schema):
    login: str = Field(description="The mobile number or email address the person logs in with.")
    password: str


class Token(Schema):
    token: str
    token_type: str = "Bearer"  # noqa: S105 - the scheme's name, not a secret
    expires_in: int = Field(description="Seconds until the token stops working.")


class Location(Schema):
    """Where the phone was, if it shared its position; both or neither."""

    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)


class MarketOrder(Schema):
    id: int
    service: str
    service_code: str
    starts_at: datetime
    booked_hours: int
    district: str
    street: str


class MarketPage(Schema):
    asked: list[MarketOrder] = Field(
        description="Orders an elder asked for you by name: yours alone until the offer ends."
    )
    orders: list[MarketOrder]
    next: str | None = Field(description="Pass as `after` for the next page; null on the last.")
    locked: int = Field(
        description="Professional orders a qualification would open (counted to 99, then 100)."
    )
    narrowed: bool = Field(
        description="Only the orders at your times of the week and in your districts; "
        "`show_all=true` lists every order you may claim."
    )


class Order(Schema):
    """One order as the person asking may see it.

    `address`, `contact_phone` and `notes` are null unless the person may see
    them (the elder's side, and the claiming volunteer until a day after the
    service), and always null in lists: open the order for them.
    """

    id: int
    number: str
    service: str
    service_code: str
    status: str
    status_text: str
    starts_at: datetime
    ends_at: datetime
    booked_hours: int
    funding: str
    district: str
    street: str
    volunteer: str | None
    address: str | None
    contact_phone: str | None
    notes: str | None
    checked_in_at: datetime | None
    checked_out_at: datetime | None
    reported_minutes: int | None
    credited_minutes: int | None
    completed_at: datetime | None
    rating: int | None


class OrderPage(Schema):
    orders: list[Order]
    next: str | None


class Claims(Schema):
    current: list[Order]
    history: list[Order]
    next: str | None = Field(description="Pass as `after` for the next page of the history.")


class Elder(Schema):
    id: int
    name: str


class ServiceOffered(Schema):
    code: str
    name: str
    default_hours: int


class OrderChoices(Schema):
    """What the order form offers: the services, the start times, the lengths, who pays."""

    services: list[ServiceOffered]
    slots: list[datetime]
    hours: list[int]
    funding: list[str]


class NewOrder(Schema):
    service: str = Field(description="A service code from /order-choices.")
    starts_at: datetime = Field(description="One of the slots from /order-choices.")
    booked_hours: int
    funding: str
    notes: str = Field("", description="Checked like the order form: at most 500 characters.")


class CardCode(Schema):
    code: str = Field(max_length=12)


class Rating(Schema):
    rating: int = Field(description="1 (very dissatisfied) to 5 (very satisfied).")
    comment: str = Field("", max_length=300)


class Credits(Schema):
    balance: int
    hours_served: int
    carried_minutes: int = Field(description="Minutes served that are not a whole credit yet.")


class About(Schema):
    label: str
    url: str


class PassbookLine(Schema):
    when: datetime
    amount: int
    text: str
    note: str
    about: About | None


class Passbook(Schema):
    lines: list[PassbookLine]
    page: int
    pages: int


class Notice(Schema):
    id: int
    kind: str
    text: str
    link: str
    created_at: datetime
    read: bool


class Marked(Schema):
    marked: int


class MarketFilter(Schema):
    district: int | None = None
    street: int | None = None
    service: str | None = Field(None, description="A service code.")
    day: date | None = None
    show_all: bool | None = Field(
        None, description="Also the orders outside your times of the week and districts."
    )
    after: str | None = None
