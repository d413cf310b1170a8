/* Card payment with Stripe.js: the card never reaches our server. We make a payment method in the
   browser and post its id; the server confirms the PaymentIntent for the amount it computed.
   Works with Stripe's own Stripe.js (createPaymentMethod) and with localstripe's (createToken). */
(function () {
  "use strict";
  var form = document.getElementById("card-form");
  if (form && window.Stripe) {
    var stripe = Stripe(form.dataset.key);
    var card = stripe.elements().create("card");
    card.mount("#card-element");
    var errors = document.getElementById("card-errors");
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      document.getElementById("card-pay").disabled = true;
      Promise.resolve(stripe.createPaymentMethod({ type: "card", card: card }))
        .then(function (result) {
          if (result && result.paymentMethod) { return result.paymentMethod.id; }
          if (result && result.error) { throw result.error; }
          return stripe.createToken(card).then(function (r) {
            if (r.error) { throw r.error; }
            return r.token.card.id;
          });
        })
        .then(function (id) {
          form.elements.payment_method.value = id;
          form.submit();
        })
        .catch(function (error) {
          errors.textContent = (error && error.message) || String(error);
          document.getElementById("card-pay").disabled = false;
        });
    });
  }
  var auth = document.getElementById("authenticate");
  if (auth && window.Stripe) {
    Stripe(auth.dataset.key).confirmCardPayment(auth.dataset.secret).then(function () {
      window.location = auth.dataset.next;
    });
  }
})();
