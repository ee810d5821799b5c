"""Boring, predictable factories for the whole suite."""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from constellation.accounts.models import User
from constellation.networks.models import (
    Affiliation,
    Kind,
    Membership,
    MembershipCategory,
    MembershipStatus,
    Network,
    NetworkStaff,
    Organisation,
    Person,
    Topic,
)

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    display_name = factory.Sequence(lambda n: f"User {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            obj.save()
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Network

    name = factory.Sequence(lambda n: f"Network {n}")
    acronym = factory.Sequence(lambda n: f"NET{n}")
    slug = factory.Sequence(lambda n: f"net{n}")
    region = "Europe"


class MembershipCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MembershipCategory

    network = factory.SubFactory(NetworkFactory)
    name = "Full member"
    slug = factory.Sequence(lambda n: f"full-{n}")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Science Centre {n}")
    slug = factory.Sequence(lambda n: f"science-centre-{n}")
    city = "Lyon"
    country = "FR"
    latitude = 45.75
    longitude = 4.85
    descriptions = factory.LazyFunction(lambda: {"en": "Hands-on science for everyone."})

    @factory.post_generation
    def kinds(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.kinds.set(Kind.objects.filter(slug__in=extracted))

    @factory.post_generation
    def topics(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.topics.set(Topic.objects.filter(slug__in=extracted))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    network = factory.SubFactory(NetworkFactory)
    status = MembershipStatus.ACTIVE
    start_date = factory.LazyFunction(timezone.localdate)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Person {n}")
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    title = "Exhibition developer"
    bio = "Builds hands-on exhibits."


class AffiliationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Affiliation

    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = "Educator"


class NetworkStaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NetworkStaff

    network = factory.SubFactory(NetworkFactory)
    user = factory.SubFactory(UserFactory)
