import factory
from allauth.account.models import EmailAddress

from initiatives.models import Initiative, Membership, Role
from peerlearn.models import Organisation, TeamMembership, User

PASSWORD = "a-test-password-1"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Ministry of Finance {n}")
    kind = Organisation.Kind.MINISTRY
    country = "Moldova"


class FacilitatingOrganisationFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"Reform Network Secretariat {n}")
    kind = Organisation.Kind.FACILITATING
    country = ""


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Sequence(lambda n: f"Person {n}")

    @factory.post_generation
    def password(user, create, extracted, **kwargs):
        user.set_password(extracted or PASSWORD)
        if create:
            user.save(update_fields=["password"])
            EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)


class TeamMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMembership

    organisation = factory.SubFactory(FacilitatingOrganisationFactory)


class FacilitatorFactory(UserFactory):
    """A person on a facilitating organisation's team (`organisation=` picks which)."""

    class Params:
        organisation = factory.SubFactory(FacilitatingOrganisationFactory)

    team = factory.RelatedFactory(
        TeamMembershipFactory,
        factory_related_name="user",
        organisation=factory.SelfAttribute("..organisation"),
    )


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    organisation = factory.SubFactory(FacilitatingOrganisationFactory)
    title = factory.Sequence(lambda n: f"Budget reform community {n}")
    description = "Treasury officials learn from each other."
    reform_areas = ["pfm"]


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership
        skip_postgeneration_save = True

    initiative = factory.SubFactory(InitiativeFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.PEER
    status = Membership.Status.ACTIVE
    home_organisation = factory.Maybe(
        factory.LazyAttribute(lambda membership: membership.role == Role.FACILITATOR),
        yes_declaration=None,
        no_declaration=factory.SubFactory(OrganisationFactory),
    )

    @factory.post_generation
    def authorises(membership, create, extracted, **kwargs):
        if create and membership.role == Role.AUTHORISER:
            membership.authorised_organisations.add(*(extracted or [membership.home_organisation]))
