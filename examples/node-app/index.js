'use strict';

// Reads an order total and crashes on a malformed order, as real apps do.
function orderTotal(order) {
  return order.items.reduce((sum, item) => sum + item.price * item.quantity, 0);
}

function main() {
  const orders = [{ items: [{ price: 5, quantity: 2 }] }, { id: 'broken-order' }];
  for (const order of orders) {
    console.log(`order total: ${orderTotal(order)}`);
  }
}

main();
